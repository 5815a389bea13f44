import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName, type RecognizeJob } from '@metertwin/contracts';
import { createMeterWithCamera } from '@metertwin/db';
import { RecognizeHandler } from '@metertwin/recognize';
import { QueueService, type JobContext } from '@metertwin/service-kit';
import { recentMondayUtc, waitFor } from '@metertwin/testing';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

// Frames of one camera (same meter crops and mount as the first), an hour apart. The composed values
// and seeds are ones the committed digit model reads right, so the history rules decide the outcome.
const FIRST = { value: '01234.567', seed: 11 };
const HOUR = 3_600_000;
const START = recentMondayUtc(6);

describe('recognize judges readings against the meter history', () => {
  let platform: Platform;
  let first: ComposedMeter;
  let meter: { meterId: string; deviceToken: string };
  let hour = 0;
  let lastCaptureId = '';

  /** Posts a composed frame taken one hour after the previous one and waits for its reading. */
  async function frame(value: string, seed: number) {
    const photo =
      seed === FIRST.seed
        ? first
        : await composeMeter({
            value,
            digits: 5,
            decimals: 3,
            seed,
            meter: first.truth.meter,
            mount: first.truth.mount,
          });
    const takenAt = new Date(START + hour++ * HOUR);
    const response = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: {
        'content-type': 'image/jpeg',
        authorization: `Bearer ${meter.deviceToken}`,
        'x-taken-at': takenAt.toISOString(),
      },
      body: new Uint8Array(photo.jpeg),
    });
    expect(response.status).toBe(202);
    const { captureId } = (await response.json()) as { captureId: string };
    const reading = await waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), {
      what: `the reading of ${value}`,
    });
    // The model read the drums right: whatever the status says is the history rules' doing.
    expect((reading.digits as Array<{ digit: number }>).map((d) => d.digit).join('')).toBe(
      photo.truth.display.replace('.', ''),
    );
    expect(reading.takenAt).toEqual(takenAt);
    return {
      ...reading,
      numeric: Number(reading.numeric),
      consumption: reading.consumption && Number(reading.consumption),
    };
  }

  beforeAll(async () => {
    platform = await startPlatform();
    first = await composeMeter({ ...FIRST, digits: 5, decimals: 3 });
    const org = await platform.prisma.organization.create({
      data: { name: 'History Water', slug: 'history-water' },
    });
    meter = await createMeterWithCamera(platform.prisma, {
      orgId: org.id,
      name: 'Garden tap',
      digits: 8,
      decimals: 3,
      layout: first.layout,
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('accepts a plausible sequence and stores its consumption and flow', async () => {
    const a = await frame(FIRST.value, FIRST.seed);
    expect(a).toMatchObject({ status: 'accepted', value: '01234.567', consumption: null, reanchored: false });
    expect(a.reason).toMatch(/first reading/);

    const b = await frame('01234.890', 12);
    expect(b).toMatchObject({ status: 'accepted', value: '01234.890', reason: null, corrections: [] });
    expect(b.consumption).toBeCloseTo(0.323, 6);
    expect(b.flowPerHour).toBeCloseTo(0.323, 6);

    const c = await frame('01235.210', 13);
    expect(c).toMatchObject({ status: 'accepted', value: '01235.210' });
    expect(c.consumption).toBeCloseTo(0.32, 6);
  });

  it('rejects a much lower frame without poisoning the history', async () => {
    const low = await frame('01100.000', 14);
    expect(low).toMatchObject({ status: 'rejected', value: '01100.000', reanchored: false });
    expect(low.reason).toBe('negative flow: 1235.210 → 1100.000');

    // Judged against 1235.210, the last accepted value, over the two hours since it.
    const next = await frame('01235.500', 15);
    expect(next).toMatchObject({ status: 'accepted', value: '01235.500', reason: null });
    expect(next.consumption).toBeCloseTo(0.29, 6);
    expect(next.flowPerHour).toBeCloseTo(0.145, 6);
  });

  it('re-anchors on the third consistent frame after the meter was replaced', async () => {
    const one = await frame('00000.120', 16);
    const two = await frame('00000.350', 17);
    for (const r of [one, two]) {
      expect(r.status).toBe('rejected');
      expect(r.reason).toMatch(/^negative flow: 1235\.500 → /);
    }
    const three = await frame('00000.610', 18);
    expect(three).toMatchObject({
      status: 'accepted',
      value: '00000.610',
      reanchored: true,
      consumption: null,
    });
    expect(three.reason).toMatch(/re-anchored after 3 consistent readings/);

    // The new anchor holds: the next step is measured from it.
    const after = await frame('00000.900', 19);
    expect(after).toMatchObject({ status: 'accepted', value: '00000.900', reanchored: false });
    expect(after.consumption).toBeCloseTo(0.29, 6);
    lastCaptureId = after.captureId;

    const history = await platform.prisma.reading.findMany({
      where: { meterId: meter.meterId },
      orderBy: { takenAt: 'asc' },
      select: { status: true },
    });
    expect(history.map((r) => r.status)).toEqual([
      ...['accepted', 'accepted', 'accepted', 'rejected', 'accepted'],
      ...['rejected', 'rejected', 'accepted', 'accepted'],
    ]);
  });

  it('judges a redelivered job once, even when two deliveries race', async () => {
    const stored = await platform.prisma.reading.findUniqueOrThrow({ where: { captureId: lastCaptureId } });
    const queue = platform.apps.recognize.get(QueueService).get(QueueName.Recognize);
    const job = (await queue.getJob(jobId.recognize(lastCaptureId)))!.data as RecognizeJob;
    // Forget the reading, then deliver its job twice at once: both wait on the meter lock, one judges.
    await platform.prisma.reading.delete({ where: { id: stored.id } });
    const handler = platform.apps.recognize.get(RecognizeHandler);
    const quiet = { info() {}, warn() {}, error() {}, debug() {} } as unknown as JobContext['log'];
    const context = { log: quiet, jobId: 'redelivered', attempt: 2, finalAttempt: false };
    await Promise.all([handler.recognize(job, context), handler.recognize(job, context)]);

    const again = await platform.prisma.reading.findMany({ where: { captureId: lastCaptureId } });
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ status: 'accepted', value: '00000.900', reanchored: false });
    expect(Number(again[0]!.consumption)).toBeCloseTo(0.29, 6);
    expect(await platform.prisma.reading.count({ where: { meterId: meter.meterId } })).toBe(9);
  });

  it('judges with the default rules when the meter rules are broken', async () => {
    await platform.prisma.meter.update({
      where: { id: meter.meterId },
      data: { readingRules: { maxFlowPerHour: 'fast', reanchorAfter: 1 } },
    });
    // Still measured against the history: a plausible step from 00000.900.
    const next = await frame('00001.200', 20);
    expect(next).toMatchObject({ status: 'accepted', value: '00001.200' });
    expect(next.consumption).toBeCloseTo(0.3, 6);
  });
});
