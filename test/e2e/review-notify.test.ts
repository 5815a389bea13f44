import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskStorage } from '@metertwin/storage';
import { waitFor } from '@metertwin/testing';
import { createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

type Review = typeof import('../../apps/web/src/lib/review');
type Queues = typeof import('../../apps/web/src/lib/queues');

/**
 * A learning meter's readings all wait for review, so only a review makes them good. A confirmed
 * reading must then reach notify like one accepted at once: its rules run on it (here a flow-rate
 * alarm), also when the portal could not hand notify the job (Redis unreachable: the reconciler does).
 */
describe('a reviewed reading reaches the rules', () => {
  let harness: NotifyHarness;
  let review: Review;
  let queues: Queues;
  let storageDir: string;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    harness = await startNotifyHarness({ RECONCILE_MS: '300', RECONCILE_AFTER_MS: '500', LOG_LEVEL: 'silent' });
    storageDir = await mkdtemp(join(tmpdir(), 'metertwin-review-notify-'));
    // The portal's code reads its configuration from the environment: notify's queues.
    Object.assign(process.env, { REDIS_URL: harness.env.REDIS_URL, QUEUE_PREFIX: harness.env.QUEUE_PREFIX });
    review = await import('../../apps/web/src/lib/review');
    queues = await import('../../apps/web/src/lib/queues');
  });
  afterAll(async () => {
    await queues?.closeQueues();
    await harness?.stop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  /** A meter with a flow-rate rule, one accepted reading, and one 5 m³ later an hour on that waits for review. */
  async function meterWithWaitingReading(slug: string) {
    const { orgId, meter } = await createOrgAndMeter(harness.prisma, slug);
    await harness.prisma.rule.create({ data: { orgId, meterId: meter.id, type: 'flow-rate', config: { above: 1 }, severity: 'critical' } });
    const user = await harness.prisma.user.create({ data: { orgId, email: `${slug}@example.test`, name: 'Op', passwordHash: 'x', role: 'operator' } });
    const t0 = new Date(Date.now() - 3 * HOUR);
    const [first, waiting] = await insertReadings(harness.prisma, meter.id, [
      { takenAt: t0, value: 100 },
      { takenAt: new Date(t0.getTime() + HOUR), value: 105 },
    ]);
    await harness.prisma.reading.update({ where: { id: waiting!.id }, data: { status: 'needs_review' } });
    await notifyReadings(harness, meter.id, [first!, waiting!]);
    const sessionUser = { id: user.id, orgId, role: 'operator' as const, name: 'Op', email: user.email, locale: null };
    return { meterId: meter.id, readingId: waiting!.id, user: sessionUser };
  }

  function deps(notifyReviewed: Parameters<Review['reviewReading']>[0]['notifyReviewed']) {
    return {
      prisma: harness.prisma,
      storage: new DiskStorage(storageDir),
      publish: async () => undefined,
      requestAdapter: async () => false,
      notifyReviewed,
    };
  }

  const alarmsOf = (meterId: string) => harness.prisma.alarm.findMany({ where: { meterId } });

  it('raises the alarm the confirmed reading calls for', async () => {
    const { meterId, readingId, user } = await meterWithWaitingReading('review-notify');
    expect(await alarmsOf(meterId)).toEqual([]); // waiting for review, the reading fed no rule
    const result = await review.reviewReading(deps(queues.enqueueReviewedReading), user, readingId, { action: 'confirm' });
    expect(result.status).toBe('accepted');
    const [alarm] = await waitFor(async () => ((await alarmsOf(meterId)).length ? alarmsOf(meterId) : null), { what: 'the flow-rate alarm' });
    expect(alarm).toMatchObject({ severity: 'critical', readingId });
    await waitFor(async () => (await harness.prisma.reading.findUniqueOrThrow({ where: { id: readingId } })).notifiedAt !== null, {
      what: 'notify to be done with the reviewed reading',
    });
  });

  it('gets there through the reconciler when the portal cannot queue the job', async () => {
    const { meterId, readingId, user } = await meterWithWaitingReading('review-notify-lost');
    const lost = async () => {
      throw new Error('Redis unreachable');
    };
    await review.reviewReading(deps(lost), user, readingId, { action: 'confirm' });
    const [alarm] = await waitFor(async () => ((await alarmsOf(meterId)).length ? alarmsOf(meterId) : null), {
      what: 'the reconciler to notify the reviewed reading',
      timeoutMs: 20_000,
    });
    expect(alarm).toMatchObject({ readingId });
  });
});
