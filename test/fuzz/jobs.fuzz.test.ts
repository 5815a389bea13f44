import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobSchemas, QueueName } from '@metertwin/contracts';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { waitFor } from '@metertwin/testing';
import { startPlatform, type Platform } from '../e2e/platform.js';

/**
 * A payload near a job's shape: its own keys, the version right or wrong, ids that are uuids (of
 * nothing) or junk, other values of any kind; or any JSON at all.
 */
function nearPayload(queue: QueueName): fc.Arbitrary<unknown> {
  const schema = JobSchemas[queue] as unknown as { shape?: Record<string, unknown> };
  const any = fc.oneof(fc.uuid(), fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.jsonValue());
  const fields = Object.keys(schema.shape ?? {}).map((key) => {
    if (key === 'v') return [key, fc.oneof(fc.constant(1), any)] as const;
    if (/Id$/.test(key)) return [key, fc.oneof(fc.uuid(), fc.uuid(), any)] as const;
    return [key, any] as const;
  });
  const shape = Object.fromEntries(fields);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record(shape) },
    { weight: 1, arbitrary: fc.record(shape, { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.jsonValue() },
  );
}

const countRows = (platform: Platform) =>
  Promise.all([
    platform.prisma.capture.count(),
    platform.prisma.reading.count(),
    platform.prisma.alarm.count(),
    platform.prisma.actuationCommand.count(),
    platform.prisma.webhookDelivery.count(),
    platform.prisma.auditLog.count(),
  ]);

describe('every queue under arbitrary payloads', () => {
  let platform: Platform;
  beforeAll(async () => {
    // Every fuzzed job fails with a warning: keep the output to what the assertions say.
    platform = await startPlatform({ LOG_LEVEL: 'error' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('settles each job (done or failed with a reason), crashes no worker and stores nothing', async () => {
    const before = await countRows(platform);
    // The raw BullMQ queues: QueueService.add validates, as every producer does.
    const queueService = platform.apps.ingest.get(QueueService);
    const queues = Object.values(QueueName).map((name) => queueService.get(name));
    {
      const added: Awaited<ReturnType<(typeof queues)[number]['add']>>[] = [];
      for (const [i, queue] of queues.entries()) {
        const payloads = fc.sample(nearPayload(queue.name as QueueName), { numRuns: 25, seed: 1000 + i });
        for (const [j, data] of payloads.entries()) {
          // Straight onto the queue (producers validate; this is what a bad producer or a stale job looks like).
          added.push(await queue.add(queue.name, data, { jobId: `fuzz-${i}-${j}`, attempts: 1 }));
        }
      }
      await waitFor(
        async () => {
          const states = await Promise.all(added.map((job) => job.getState()));
          return states.every((s) => s === 'completed' || s === 'failed');
        },
        { timeoutMs: 120_000, intervalMs: 500, what: `${added.length} fuzzed jobs to settle` },
      );
      // Some payloads must get past the schema, or the handlers were never fuzzed.
      const settled = await Promise.all(
        added.map(
          async (job) =>
            (await job.getState()) === 'completed' ||
            !/^malformed /.test(
              (await queues.find((q) => q.name === job.queueName)!.getJob(job.id!))?.failedReason ?? '',
            ),
        ),
      );
      expect(settled.filter(Boolean).length).toBeGreaterThan(20);
      for (const queue of queues) {
        for (const job of await queue.getFailed(0, -1))
          expect(job.failedReason, `${queue.name} ${job.id}`).toBeTruthy();
      }
      for (const app of Object.values(platform.apps)) {
        expect((await fetch(`${await serviceUrl(app)}/healthz`)).status).toBe(200);
      }
      expect(await countRows(platform)).toEqual(before);
    }
  }, 240_000);
});
