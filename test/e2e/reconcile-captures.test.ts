import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { createPrismaClient } from '@metertwin/db';
import { startIngest } from '@metertwin/ingest';
import { startPreprocess } from '@metertwin/preprocess';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, type TestDatabase, testSecretsKey, uniqueQueuePrefix, waitFor } from '@metertwin/testing';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';

/** A database, a storage directory and a queue prefix of their own, and the services under test on them. */
async function startServices(overrides: Record<string, string>, services: Array<typeof startIngest>) {
  const db: TestDatabase = await createTestDatabase();
  const storageDir = await mkdtemp(join(tmpdir(), 'metertwin-reconcile-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: uniqueQueuePrefix(),
    SECRETS_KEY: testSecretsKey(),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    STORAGE_DIR: storageDir,
    ...overrides,
  };
  const apps: INestApplication[] = await Promise.all(services.map((start) => start(env, { handleSignals: false })));
  const prisma = createPrismaClient(db.url);
  const org = await prisma.organization.create({ data: { name: 'Reconcile', slug: `reconcile-${randomUUID()}` } });
  return {
    env,
    prisma,
    apps,
    orgId: org.id,
    /** Writes a capture's image where the storage keeps it. */
    store: async (key: string, bytes: Buffer) => {
      await mkdir(dirname(join(storageDir, key)), { recursive: true });
      await writeFile(join(storageDir, key), bytes);
    },
    async stop() {
      await Promise.all(apps.map((app) => app.close()));
      await prisma.$disconnect();
      await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

type Services = Awaited<ReturnType<typeof startServices>>;

/** A capture row as ingest writes it, its image not (yet) in storage. */
async function insertCapture(services: Services, meterId: string, photo: ComposedMeter, data: { status?: 'received' | 'preprocessed'; receivedAt?: Date } = {}) {
  const sha256 = createHash('sha256').update(photo.jpeg).update(randomUUID()).digest('hex');
  return services.prisma.capture.create({
    data: {
      meterId,
      sha256,
      storageKey: `captures/${meterId}/${sha256}.jpg`,
      contentType: 'image/jpeg',
      bytes: photo.jpeg.length,
      source: 'upload',
      takenAt: new Date(),
      ...data,
    },
  });
}

describe('the capture reconciler (in ingest) drives stranded captures on', () => {
  let services: Services;
  let photo: ComposedMeter;
  let meterId: string;

  beforeAll(async () => {
    services = await startServices(
      { RECONCILE_MS: '200', RECONCILE_AFTER_MS: '500', RECONCILE_MAX_ATTEMPTS: '2' },
      [startIngest, startPreprocess],
    );
    photo = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 21 });
    const meter = await services.prisma.meter.create({
      data: { orgId: services.orgId, name: 'stranded', digits: 8, decimals: 3, layout: photo.layout },
    });
    meterId = meter.id;
  });

  afterAll(() => services?.stop());
  const queues = () => services.apps[0]!.get(QueueService);

  it('retries a capture whose preprocess job failed for good once the cause is gone', async () => {
    const capture = await insertCapture(services, meterId, photo);
    // The storage does not have the image yet: the job uses up its (one) attempt and fails for good.
    await queues().add(QueueName.Preprocess, { v: 1, captureId: capture.id, meterId }, { jobId: jobId.preprocess(capture.id), attempts: 1 });
    const queue = queues().get(QueueName.Preprocess);
    await waitFor(async () => (await queue.getJobState(jobId.preprocess(capture.id))) === 'failed', { what: 'the preprocess job to fail' });
    await services.store(capture.storageKey, photo.jpeg);

    const preprocessed = await waitFor(
      async () => {
        const row = await services.prisma.capture.findUniqueOrThrow({ where: { id: capture.id } });
        return row.status === 'preprocessed' && row;
      },
      { what: 'the reconciler to retry the failed preprocess job', timeoutMs: 15_000 },
    );
    expect(preprocessed.error).toBeNull();
    // preprocess stores its result before it queues the next step (a job lost between the two is the
    // reconciler's): the recognize job follows the row, not with it.
    await waitFor(async () => (await queues().get(QueueName.Recognize).getJobState(jobId.recognize(capture.id))) === 'waiting', {
      what: 'the recognize job',
      timeoutMs: 5_000,
    });
  });

  it('cuts a capture stuck in preprocessed again when its recognize job is gone', async () => {
    const capture = await insertCapture(services, meterId, photo, { status: 'preprocessed', receivedAt: new Date(Date.now() - 10 * 60_000) });
    await services.store(capture.storageKey, photo.jpeg);

    await waitFor(async () => (await queues().get(QueueName.Recognize).getJob(jobId.recognize(capture.id))) ?? null, {
      what: 'a recognize job for the stranded capture',
      timeoutMs: 15_000,
    });
    expect((await services.prisma.capture.findUniqueOrThrow({ where: { id: capture.id } })).status).toBe('preprocessed');
  });

  it('ends a capture that keeps failing as failed, with its reason, after RECONCILE_MAX_ATTEMPTS', async () => {
    const capture = await insertCapture(services, meterId, photo);
    await queues().add(QueueName.Preprocess, { v: 1, captureId: capture.id, meterId }, { jobId: jobId.preprocess(capture.id), attempts: 1 });

    const failed = await waitFor(
      async () => {
        const row = await services.prisma.capture.findUniqueOrThrow({ where: { id: capture.id } });
        return row.status === 'failed' && row;
      },
      { what: 'the capture to be given up', timeoutMs: 20_000 },
    );
    expect(failed.error).toMatch(/^gave up after 2 attempts: no stored image at/);
    // The job's first run, then two retries, then no more.
    expect(await services.prisma.redrive.findUniqueOrThrow({ where: { kind_entityId: { kind: 'capture', entityId: capture.id } } })).toMatchObject({
      attempts: 2,
      gaveUpAt: expect.any(Date),
    });
    const metrics = await (await fetch(`${await serviceUrl(services.apps[0]!)}/metrics`)).text();
    expect(metrics).toMatch(/metertwin_reconciled_total\{[^}]*kind="capture"[^}]*outcome="gave_up"[^}]*\} 1/);

    // It stays given up.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await services.prisma.capture.findUniqueOrThrow({ where: { id: capture.id } })).error).toBe(failed.error);
  });
});

describe('the capture reconciler with a backlog', () => {
  let services: Services;
  let photo: ComposedMeter;

  // One pass at start (the next one is a minute away), three captures per batch; no preprocess
  // worker, so the queued jobs stay waiting in the order they were added.
  beforeAll(async () => {
    services = await startServices({ RECONCILE_MS: '60000', RECONCILE_AFTER_MS: '1000', RECONCILE_BATCH: '3' }, []);
    photo = await composeMeter({ value: '00001.000', digits: 5, decimals: 3, seed: 22 });
  });
  afterAll(() => services?.stop());

  /** Seven stranded captures of a new meter, inserted newest first so the table's own order is the wrong one. */
  async function backlog(name: string) {
    const meter = await services.prisma.meter.create({ data: { orgId: services.orgId, name, digits: 8, decimals: 3 } });
    const captures = [];
    for (let minutesAgo = 1; minutesAgo <= 7; minutesAgo++) {
      captures.push(await insertCapture(services, meter.id, photo, { receivedAt: new Date(Date.now() - minutesAgo * 60_000) }));
    }
    return captures.toReversed().map((c) => jobId.preprocess(c.id));
  }

  const waitingJobs = (app: INestApplication, ids: string[]) =>
    waitFor(
      async () => {
        const jobs = await app.get(QueueService).get(QueueName.Preprocess).getJobs(['waiting'], 0, -1, true);
        const ours = jobs.map((j) => j.id!).filter((id) => ids.includes(id));
        return ours.length === ids.length && ours;
      },
      { what: `${ids.length} preprocess jobs`, timeoutMs: 15_000 },
    );

  const requeued = async (app: INestApplication) => {
    const metrics = await (await fetch(`${await serviceUrl(app)}/metrics`)).text();
    return Number(/metertwin_reconciled_total\{[^}]*kind="capture"[^}]*outcome="requeued"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
  };

  it('queues them oldest first, batch after batch, in one pass', async () => {
    const oldestFirst = await backlog('backlog');
    const ingest = await startIngest(services.env, { handleSignals: false });
    try {
      expect(await waitingJobs(ingest, oldestFirst)).toEqual(oldestFirst);
      expect(await requeued(ingest)).toBe(7);
    } finally {
      await ingest.close();
    }
  });

  it('lets two replicas share them: each capture is driven on by one', async () => {
    const ids = await backlog('shared backlog');
    const replicas = await Promise.all([0, 1].map(() => startIngest(services.env, { handleSignals: false })));
    try {
      await waitingJobs(replicas[0]!, ids);
      const counts = await Promise.all(replicas.map(requeued));
      expect(counts[0]! + counts[1]!).toBe(7);
    } finally {
      await Promise.all(replicas.map((app) => app.close()));
    }
  });
});
