import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { startIngest } from '@metertwin/ingest';
import { RULE_TICK_SCHEDULER, startNotify } from '@metertwin/notify';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, type TestDatabase, testSecretsKey, uniqueQueuePrefix, waitFor } from '@metertwin/testing';
import { composeMeter } from '@metertwin/composer';
import { createOrgAndMeter, startNotifyHarness, type NotifyHarness } from './notify-harness.js';
import { freePort, startRedisServer } from './redis-server.js';

/** Rejects when `promise` has not settled within `ms` (a start or a shutdown that hangs). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms).unref())]);
}

/** The rule timer's job scheduler as notify sees it; false while Redis does not answer. */
async function ruleTimer(queues: QueueService) {
  try {
    return (await queues.bounded(queues.get(QueueName.RuleTick).getJobScheduler(RULE_TICK_SCHEDULER))) ?? false;
  } catch {
    return false;
  }
}

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
      SECRETS_KEY: testSecretsKey(),
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

describe('notify across a Redis restart without persistence', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let harness: NotifyHarness;

  beforeAll(async () => {
    redis = await startRedisServer();
    harness = await startNotifyHarness({ REDIS_URL: redis.url, RECONCILE_MS: '300', RULE_TICK_MS: '3600000', LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    await harness?.stop();
    await redis?.kill();
  });

  it('asserts its rule timer again when Redis comes back empty', async () => {
    const before = await waitFor(() => ruleTimer(harness.queues), { what: 'the rule timer' });
    expect(before.every).toBe(3_600_000);
    await redis.kill();
    await redis.start();
    const after = await waitFor(() => ruleTimer(harness.queues), { what: 'the rule timer to be asserted again', timeoutMs: 10_000 });
    expect(after.every).toBe(3_600_000);
  });

  it('records a manual command while Redis is down and says it is not queued yet; the reconciler queues it once', async () => {
    const { orgId } = await createOrgAndMeter(harness.prisma, 'outage-command');
    const user = await harness.prisma.user.create({ data: { orgId, email: `op-${Date.now()}@example.test`, name: 'Op', passwordHash: 'x' } });
    const valve = await harness.prisma.actuator.create({ data: { orgId, name: 'valve', kind: 'http', config: { url: 'http://10.0.0.9/valve' } } });
    redis.pause();
    const started = Date.now();
    const answer = await harness.api(orgId, 'POST', `/v1/actuators/${valve.id}/commands`, { command: 'close', actorId: user.id });
    redis.resume();
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: 'pending', queued: false, command: 'close' });
    // One command, which the reconciler hands to the actuation queue once Redis answers again.
    expect(await harness.prisma.actuationCommand.count({ where: { actuatorId: valve.id } })).toBe(1);
    await waitFor(async () => (await harness.prisma.actuationCommand.findUniqueOrThrow({ where: { id: answer.body.id } })).status !== 'pending', {
      what: 'the reconciled command to be sent',
      timeoutMs: 20_000,
    });
    expect(await harness.prisma.actuationCommand.count({ where: { actuatorId: valve.id } })).toBe(1);
  });
});

describe('services started while Redis is down', () => {
  let port: number;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    port = await freePort();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await redis?.kill();
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('open their port and report unhealthy, become healthy when Redis starts, and stop while it is gone', async () => {
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      QUEUE_PREFIX: uniqueQueuePrefix(),
      SECRETS_KEY: testSecretsKey(),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      STORAGE_DIR: tmpdir(),
      RECONCILE_MS: '300',
    };
    const options = { handleSignals: false };
    const [ingest, notify] = await within(Promise.all([startIngest(env, options), startNotify(env, options)]), 15_000, 'ingest and notify to start');
    apps.push(ingest!, notify!);
    const health = async (app: INestApplication) => {
      const response = await fetch(`${await serviceUrl(app)}/healthz`);
      return { status: response.status, body: (await response.json()) as { checks: { redis: string; postgres: string } } };
    };
    for (const app of apps) {
      const { status, body } = await health(app);
      expect(status).toBe(503);
      expect(body.checks.postgres).toBe('ok');
      expect(body.checks.redis).not.toBe('ok');
    }

    redis = await startRedisServer(port);
    for (const app of apps) await waitFor(async () => (await health(app)).status === 200, { what: 'the service to become healthy', timeoutMs: 15_000 });
    // What could not happen at start happens now: the rule timer exists.
    await waitFor(() => ruleTimer(notify!.get(QueueService)), { what: 'the rule timer', timeoutMs: 10_000 });

    await redis.kill();
    await within(Promise.all(apps.splice(0).map((app) => app.close())), 20_000, 'the services to stop while Redis is down');
  });
});
