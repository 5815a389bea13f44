import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera } from '@metertwin/db';
import { startNotify } from '@metertwin/notify';
import { startRecognize } from '@metertwin/recognize';
import { waitFor } from '@metertwin/testing';
import { composeMeter, randomMount } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';
import { startReceiver } from './receiver.js';

const METERS = 200;
const FRAMES = 2;
const IN_FLIGHT = 16;

/**
 * Three recognize and three notify replicas (separate Nest apps: their own BullMQ workers, Redis and
 * Postgres connections) competing for the jobs of 200 meters: job ids, the meter's advisory lock and the
 * unique keys must make every reading, alarm and webhook delivery happen exactly once.
 */
describe('3 recognize and 3 notify replicas, 200 meters', () => {
  let platform: Platform;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const replicas: INestApplication[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    platform = await startPlatform({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_MS: '200' });
    for (let i = 0; i < 2; i++) {
      replicas.push(await startRecognize(platform.env, { handleSignals: false }), await startNotify(platform.env, { handleSignals: false }));
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    await platform?.stop();
    await receiver?.close();
  });

  it('stores each reading, raises each alarm and delivers each webhook event once', async () => {
    // One camera mount for every meter: the same few photos are different captures on different meters.
    const mount = randomMount(9, 0.2);
    const frames = await Promise.all(
      Array.from({ length: FRAMES }, (_, f) => composeMeter({ value: (130.5 + f * 0.012).toFixed(3), digits: 5, decimals: 3, seed: 9, mount, effects: 0.2 })),
    );
    const org = await platform.prisma.organization.create({ data: { name: 'Replicas', slug: 'replicas' } });
    await platform.prisma.webhook.create({ data: { orgId: org.id, url: `${receiver.url}/hook`, secret: 'whsec_replicas', events: ['reading.accepted', 'alarm.raised'] } });
    const meters = [];
    for (let m = 0; m < METERS; m++) {
      const meter = await createMeterWithCamera(platform.prisma, { orgId: org.id, name: `replica ${m}`, digits: 8, decimals: 3, layout: frames[0]!.layout });
      await platform.prisma.rule.create({ data: { orgId: org.id, meterId: meter.meterId, type: 'threshold', config: { above: 100 }, severity: 'major' } });
      meters.push(meter);
    }
    const firstTaken = Date.now() - 10 * 60_000;
    const uploads = meters.flatMap((meter) => frames.map((frame, f) => ({ meter, frame, takenAt: new Date(firstTaken + f * 60_000) })));
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < uploads.length; i = next++) {
          const { meter, frame, takenAt } = uploads[i]!;
          const res = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
            method: 'POST',
            headers: { authorization: `Bearer ${meter.deviceToken}`, 'content-type': 'image/jpeg', 'x-taken-at': takenAt.toISOString() },
            body: new Uint8Array(frame.jpeg),
          });
          expect(res.status).toBe(202);
        }
      }),
    );
    const total = METERS * FRAMES;
    await waitFor(async () => (await platform.prisma.reading.count()) === total || null, { what: 'every reading', timeoutMs: 150_000, intervalMs: 500 });
    await waitFor(async () => receiver.to('/hook').length >= total + METERS || null, { what: 'every webhook delivery', timeoutMs: 60_000, intervalMs: 500 });

    const readings = await platform.prisma.reading.findMany({ select: { captureId: true, meterId: true, takenAt: true, value: true, status: true } });
    expect(new Set(readings.map((r) => `${r.meterId}@${r.takenAt.toISOString()}`)).size).toBe(total);
    expect(readings.filter((r) => r.status !== 'accepted')).toEqual([]);
    const alarms = await platform.prisma.alarm.findMany({ select: { meterId: true, ruleId: true } });
    expect(alarms).toHaveLength(METERS);
    expect(new Set(alarms.map((a) => `${a.meterId}/${a.ruleId}`)).size).toBe(METERS);
    // Let any late duplicate arrive before counting.
    await new Promise((r) => setTimeout(r, 2_000));
    const ids = receiver.to('/hook').map((r) => String(r.headers['x-metertwin-event-id']));
    expect(ids).toHaveLength(total + METERS);
    expect(new Set(ids).size).toBe(ids.length);
  }, 300_000);
});
