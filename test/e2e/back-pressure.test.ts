import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { startIngest } from '@metertwin/ingest';
import { startPreprocess } from '@metertwin/preprocess';
import { startRecognize } from '@metertwin/recognize';
import { serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, waitFor, type TestDatabase, serviceTestEnv } from '@metertwin/testing';
import { jobId, QueueName } from '@metertwin/contracts';
import { QueueService } from '@metertwin/service-kit';
import { composeMeter, randomMount, type ComposedMeter } from '@metertwin/composer';
import { startRedisServer } from './redis-server.js';

const LIMIT = 3;

describe('back-pressure in ingest (real Redis)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storage: string;
  let env: Record<string, string>;
  let ingestUrl: string;
  const apps: INestApplication[] = [];
  let frames: ComposedMeter[];
  let meter: { meterId: string; deviceToken: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storage = await mkdtemp(join(tmpdir(), 'metertwin-back-pressure-'));
    env = serviceTestEnv(db.url, storage, { MAX_QUEUE_DEPTH: String(LIMIT), QUEUE_FULL_RETRY_AFTER_SEC: '7' });
    // Only ingest at first: the photos wait in the queue, as when preprocess and recognize fall behind.
    apps.push(await startIngest(env, { handleSignals: false }));
    ingestUrl = await serviceUrl(apps[0]!);
    const mount = randomMount(77, 0.2);
    frames = await Promise.all(
      Array.from({ length: LIMIT + 1 }, (_, f) => composeMeter({ value: (20.5 + f * 0.012).toFixed(3), digits: 5, decimals: 3, seed: 77, mount, effects: 0.2 })),
    );
    const org = await prisma.organization.create({ data: { name: 'Busy', slug: 'busy' } });
    meter = await createMeterWithCamera(prisma, { orgId: org.id, name: 'busy', digits: 8, decimals: 3, layout: frames[0]!.layout });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await prisma?.$disconnect();
    await db?.drop();
    if (storage) await rm(storage, { recursive: true, force: true });
  });

  const upload = (f: number) =>
    fetch(`${ingestUrl}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${meter.deviceToken}`,
        'content-type': 'image/jpeg',
        'x-taken-at': new Date(Date.now() - (10 - f) * 60_000).toISOString(),
      },
      body: new Uint8Array(frames[f]!.jpeg),
    });

  it('accepts up to the limit, then answers 503 + Retry-After without storing; the queued photos are read later', async () => {
    const accepted: string[] = [];
    for (let f = 0; f < LIMIT; f++) {
      const res = await upload(f);
      expect(res.status).toBe(202);
      accepted.push(((await res.json()) as { captureId: string }).captureId);
    }
    const refused = await upload(LIMIT);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(((await refused.json()) as { message: string }).message).toMatch(/3 photos are waiting to be read.*nothing was stored/);
    expect(await prisma.capture.count({ where: { meterId: meter.meterId } })).toBe(LIMIT);
    const metrics = await (await fetch(`${ingestUrl}/metrics`)).text();
    expect(metrics).toMatch(/metertwin_uploads_refused_total\{reason="queue_full",service="ingest"\} 1/);
    expect(metrics).toMatch(/metertwin_queue_jobs\{queue="preprocess",state="waiting",service="ingest"\} 3/);

    // The readers come back: every accepted photo is read, in time order, and the device's retry is taken.
    apps.push(await startPreprocess(env, { handleSignals: false }), await startRecognize(env, { handleSignals: false }));
    const readings = await waitFor(
      async () => {
        const rows = await prisma.reading.findMany({ where: { captureId: { in: accepted } }, orderBy: { takenAt: 'asc' } });
        return rows.length === LIMIT ? rows : null;
      },
      { what: 'the queued photos to be read', timeoutMs: 60_000 },
    );
    expect(readings.map((r) => [r.value, r.status])).toEqual(frames.slice(0, LIMIT).map((f) => [f.truth.display, 'accepted']));
    await waitFor(async () => (await upload(LIMIT)).status === 202, { what: 'the retried upload to be accepted', timeoutMs: 30_000 });
  }, 120_000);
});

describe('back-pressure while Redis does not answer (a Redis of the test’s own)', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storage: string;
  let ingest: INestApplication;
  let ingestUrl: string;
  let meter: { meterId: string; deviceToken: string };

  beforeAll(async () => {
    redis = await startRedisServer();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storage = await mkdtemp(join(tmpdir(), 'metertwin-back-pressure-silent-'));
    const env = serviceTestEnv(db.url, storage, { REDIS_URL: redis.url, MAX_QUEUE_DEPTH: '1', RECONCILE_MS: '300', RECONCILE_AFTER_MS: '500' });
    ingest = await startIngest(env, { handleSignals: false });
    ingestUrl = await serviceUrl(ingest);
    const org = await prisma.organization.create({ data: { name: 'Silent', slug: 'silent' } });
    meter = await createMeterWithCamera(prisma, { orgId: org.id, name: 'silent', digits: 8, decimals: 3 });
  });
  afterAll(async () => {
    redis?.resume();
    await ingest?.close();
    await redis?.kill();
    await prisma?.$disconnect();
    await db?.drop();
    if (storage) await rm(storage, { recursive: true, force: true });
  });

  const upload = async (seed: number) =>
    fetch(`${ingestUrl}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${meter.deviceToken}`, 'content-type': 'image/jpeg' },
      body: new Uint8Array((await composeMeter({ value: '00042.000', digits: 5, decimals: 3, seed })).jpeg),
      signal: AbortSignal.timeout(10_000),
    });

  it('lets a photo through once the last count is stale, though that count was over the limit: stored, and queued by the reconciler later', async () => {
    expect((await upload(51)).status).toBe(202);
    const full = await upload(52);
    expect(full.status).toBe(503);
    expect(((await full.json()) as { message: string }).message).toMatch(/1 photos are waiting to be read/);

    redis.pause();
    let captureId: string;
    try {
      // a count in flight gets no answer: within DEPTH_TIMEOUT_MS the depth is unknown, not "full"
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const silent = await upload(53);
      expect(silent.status).toBe(503);
      expect(((await silent.json()) as { message: string }).message).toMatch(/queue \(Redis\) is unavailable/);
      const captures = await prisma.capture.findMany({ where: { meterId: meter.meterId }, orderBy: { receivedAt: 'asc' } });
      // the first photo and this one: the refused photo left nothing
      expect(captures.map((c) => c.status)).toEqual(['received', 'received']);
      captureId = captures[1]!.id;
    } finally {
      redis.resume();
    }
    const queues = ingest.get(QueueService);
    await waitFor(() => queues.get(QueueName.Preprocess).getJob(jobId.preprocess(captureId)), { what: 'the reconciler to queue the stored capture', timeoutMs: 15_000 });
  }, 60_000);
});
