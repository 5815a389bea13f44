import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera } from '@metertwin/db';
import { waitFor } from '@metertwin/testing';
import { composeMeter, randomMount } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

const FRAMES = 6;
const STEP = 0.012;
const MINUTE = 60_000;

describe('readings of one meter processed out of time order', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('are judged between their neighbours in time: none to review for order, intervals that add up', async () => {
    const mount = randomMount(41, 0.2);
    const frames = await Promise.all(
      Array.from({ length: FRAMES }, (_, f) => composeMeter({ value: (512.25 + f * STEP).toFixed(3), digits: 5, decimals: 3, seed: 41, mount, effects: 0.2 })),
    );
    const org = await platform.prisma.organization.create({ data: { name: 'Order', slug: 'order' } });
    const meter = await createMeterWithCamera(platform.prisma, { orgId: org.id, name: 'late frames', digits: 8, decimals: 3, layout: frames[0]!.layout });
    const firstTaken = Date.now() - 2 * FRAMES * MINUTE;
    // Newest first: each photo is processed after every photo taken later.
    for (let f = FRAMES - 1; f >= 0; f--) {
      const res = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${meter.deviceToken}`, 'content-type': 'image/jpeg', 'x-taken-at': new Date(firstTaken + f * MINUTE).toISOString() },
        body: new Uint8Array(frames[f]!.jpeg),
      });
      expect(res.status).toBe(202);
      const { captureId } = (await res.json()) as { captureId: string };
      await waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), { what: `the reading of frame ${f}` });
    }
    const readings = await platform.prisma.reading.findMany({ where: { meterId: meter.meterId }, orderBy: { takenAt: 'asc' } });
    expect(readings.map((r) => r.value)).toEqual(frames.map((f) => f.truth.display));
    expect(readings.map((r) => [r.status, r.reason])).toEqual(readings.map((r) => ['accepted', r.reason]));
    expect(readings.filter((r) => r.reason?.includes('taken before'))).toEqual([]);
    // Every interval is counted once, from the reading before it in time.
    expect(readings[0]!.consumption).toBeNull();
    for (let i = 1; i < FRAMES; i++) expect(Number(readings[i]!.consumption)).toBeCloseTo(STEP, 3);
    // The hourly roll-up followed every stored reading and every successor rebased (docs/operations.md).
    const id = meter.meterId;
    const drift = await platform.prisma.$queryRaw<unknown[]>`
      (SELECT * FROM "ReadingHourly" WHERE "meterId" = ${id} EXCEPT SELECT * FROM reading_hourly_compute(${id}, '-infinity', 'infinity'))
      UNION ALL
      (SELECT * FROM reading_hourly_compute(${id}, '-infinity', 'infinity') EXCEPT SELECT * FROM "ReadingHourly" WHERE "meterId" = ${id})`;
    expect(drift).toEqual([]);
    const hours = await platform.prisma.readingHourly.findMany({ where: { meterId: id } });
    expect(hours.reduce((sum, h) => sum + Number(h.consumption), 0)).toBeCloseTo(STEP * (FRAMES - 1), 3);
  }, 120_000);
});
