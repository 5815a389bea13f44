import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { startIngest } from '@metertwin/ingest';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, uniqueQueuePrefix, waitFor, type TestDatabase } from '@metertwin/testing';
import { composeMeter } from '@metertwin/vision';
import { startRedisServer } from './redis-server.js';

describe('ingest while Redis is down', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let ingest: INestApplication;
  let url: string;
  let meter: { meterId: string; deviceToken: string };

  beforeAll(async () => {
    redis = await startRedisServer();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(join(tmpdir(), 'metertwin-outage-'));
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: uniqueQueuePrefix(),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      STORAGE_DIR: storageDir,
      RECONCILE_MS: '300',
      RECONCILE_AFTER_MS: '500',
    };
    ingest = await startIngest(env, { handleSignals: false });
    url = await serviceUrl(ingest);
    const org = await prisma.organization.create({ data: { name: 'Outage', slug: 'outage' } });
    meter = await createMeterWithCamera(prisma, { orgId: org.id, name: 'outage', digits: 8, decimals: 3 });
  });

  afterAll(async () => {
    redis?.resume();
    await ingest?.close();
    await redis?.kill();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  /** Uploads a new frame; the test gives up on an answer after 10 s (a producer that hangs). */
  async function upload(seed: number) {
    const photo = await composeMeter({ value: '00042.000', digits: 5, decimals: 3, seed });
    const started = Date.now();
    const response = await fetch(`${url}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${meter.deviceToken}` },
      body: new Uint8Array(photo.jpeg),
      signal: AbortSignal.timeout(10_000),
    });
    return { response, ms: Date.now() - started, photo };
  }

  async function expectFastRefusal(seed: number) {
    const { response, ms, photo } = await upload(seed);
    expect(response.status).toBe(503);
    expect(ms).toBeLessThan(5_000);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as { message: string }).message).toMatch(/queue \(Redis\) is unavailable/);
    // The frame was accepted nonetheless: its capture waits in Postgres.
    const capture = await prisma.capture.findFirstOrThrow({ where: { meterId: meter.meterId }, orderBy: { receivedAt: 'desc' } });
    expect(capture.status).toBe('received');
    return { capture, photo };
  }

  const preprocessJob = (captureId: string) => ingest.get(QueueService).get(QueueName.Preprocess).getJob(jobId.preprocess(captureId));

  it('answers 503 with Retry-After at once when Redis hangs (paused), and queues the capture once it answers', async () => {
    redis.pause();
    let captureId: string;
    try {
      ({ capture: { id: captureId } } = await expectFastRefusal(31));
    } finally {
      redis.resume();
    }
    await waitFor(() => preprocessJob(captureId), { what: 'the capture to be queued', timeoutMs: 10_000 });
  });

  it('answers 503 with Retry-After at once when Redis is gone, and the reconciler queues the capture after it restarts empty', async () => {
    await redis.kill();
    const { capture, photo } = await expectFastRefusal(32);
    await redis.start();

    await waitFor(() => preprocessJob(capture.id), { what: 'the reconciler to queue the stranded capture', timeoutMs: 15_000 });
    // The device sends the frame again as asked: it is the capture it already has.
    const again = await fetch(`${url}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${meter.deviceToken}` },
      body: new Uint8Array(photo.jpeg),
    });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ captureId: capture.id, duplicate: true });
  });
});
