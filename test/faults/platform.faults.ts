import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile, rm, mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { createApiKey, createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import {
  createTestDatabase,
  testSecretsKey,
  uniqueQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@metertwin/testing';
import { composeMeter } from '@metertwin/composer';
import { freePort, startRedisServer } from '../e2e/redis-server.js';
import { ServiceProcess, type ServiceName } from './cluster.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const METERS = 4;
const FRAMES_PER_METER = 40;

/**
 * The platform as separate processes against its own Redis and database, under a steady load of
 * uploads and camera pulls, while faults are injected one after the other. Afterwards every
 * frame must have been accepted and every accepted capture reach a final state, every accepted
 * reading's webhook event must have arrived (redeliveries after a crash are counted), and no wrong
 * reading may be accepted. Prints its figures. Needs root (a tmpfs for "storage full").
 */
describe('the platform under faults', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let redisDir: string;
  let camera: CameraSimulator;
  let receiver: Server;
  let storage: string;
  const services = {} as Record<ServiceName, ServiceProcess>;
  const received = new Map<string, number>();
  let receiverMode: 'ok' | 'hang' = 'ok';

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    redisDir = await mkdtemp(join(tmpdir(), 'metertwin-faults-redis-'));
    redis = await startRedisServer(undefined, { appendOnlyDir: redisDir });
    camera = await startCameraSimulator({ start: 100.25, rate: 6, seed: 5 });
    // An idempotent subscriber: counts each event id it is handed.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (receiverMode === 'hang') return; // times out at notify; answered never
        // Idempotent by event id: a repeat is acknowledged and not applied again.
        const id = String(req.headers['x-metertwin-event-id']);
        received.set(id, (received.get(id) ?? 0) + 1);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    // Captures on a small disk of their own, so that "storage full" is real.
    storage = await mkdtemp(join(tmpdir(), 'metertwin-faults-storage-'));
    await run('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', storage]);
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: uniqueQueuePrefix(),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      STORAGE_DIR: storage,
      SECRETS_KEY: testSecretsKey(),
      ADMIN_TOKEN: 'faults-admin-token-0123456789',
      OUTBOUND_ALLOWED_HOSTS: `${new URL(camera.url).host},127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      SCHEDULE_SYNC_MS: '1000',
      RECONCILE_MS: '2000',
      RECONCILE_AFTER_MS: '5000',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_BACKOFF_MS: '1000',
      WEBHOOK_MAX_ATTEMPTS: '20',
    };
    for (const name of ['ingest', 'preprocess', 'recognize', 'notify'] as const) {
      services[name] = new ServiceProcess(name, await freePort(), env);
      await services[name].start();
    }
  }, 300_000);

  afterAll(async () => {
    // What this suite started on the machine goes first, whatever else fails to close.
    await Promise.allSettled(Object.values(services).map((service) => service.stop()));
    redis?.resume();
    await redis?.kill().catch(() => {});
    if (redisDir) await rm(redisDir, { recursive: true, force: true }).catch(() => {});
    if (storage) await run('umount', [storage]).catch(() => {});
    await rm(storage, { recursive: true, force: true }).catch(() => {});
    receiver?.closeAllConnections();
    receiver?.close();
    await camera?.close().catch(() => {});
    await prisma?.$disconnect();
    await db?.drop();
  }, 120_000);

  it('loses nothing, delivers once and accepts no wrong reading through Redis, Postgres, process and disk faults', async () => {
    const org = await prisma.organization.create({ data: { name: 'Faults', slug: `faults-${Date.now()}` } });
    await prisma.webhook.create({
      data: {
        orgId: org.id,
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        secret: 'whsec_faults',
        events: ['reading.accepted'],
      },
    });
    await createApiKey(prisma, { orgId: org.id, name: 'faults', scopes: ['read'] });
    // Pushing meters: frames composed in advance, each with its truth and a rising value.
    const truthBySha = new Map<string, string>();
    const meters = [];
    for (let m = 0; m < METERS; m++) {
      const first = await composeMeter({ value: 1000 * (m + 1), digits: 5, decimals: 3, seed: 100 + m });
      const meter = await createMeterWithCamera(prisma, {
        orgId: org.id,
        name: `pushed ${m}`,
        digits: 8,
        decimals: 3,
        layout: first.layout,
      });
      const frames = [];
      for (let f = 0; f < FRAMES_PER_METER; f++) {
        const photo = await composeMeter({
          value: 1000 * (m + 1) + f * 0.137,
          digits: 5,
          decimals: 3,
          seed: 100 + m,
          effects: 0.2,
        });
        const sha = createHash('sha256').update(photo.jpeg).digest('hex');
        truthBySha.set(sha, photo.truth.display);
        frames.push(photo.jpeg);
      }
      meters.push({ ...meter, frames });
    }
    // One pulled camera as well.
    await createMeterWithCamera(
      prisma,
      { orgId: org.id, name: 'pulled', digits: 8, decimals: 3, layout: camera.layout },
      { snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 2 },
    );

    // Steady load: one frame every 250 ms, round-robin over the meters, each in time order. Like a
    // camera that keeps its photo, a refused or unanswered upload is sent again a second later.
    const started = Date.now();
    let accepted = 0;
    let slowest = 0;
    const answers = new Map<string, number>();
    const load = (async () => {
      for (let i = 0; i < METERS * FRAMES_PER_METER; i++) {
        const meter = meters[i % METERS]!;
        const frame = Math.floor(i / METERS);
        for (let attempt = 0; attempt < 120; attempt++) {
          const sent = Date.now();
          const res = await fetch(`${services.ingest.url}/v1/meters/${meter.meterId}/captures`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${meter.deviceToken}`,
              'content-type': 'image/jpeg',
              'x-taken-at': new Date(started + frame * 60_000 - 3_600_000).toISOString(),
            },
            body: new Uint8Array(meter.frames[frame]!),
            signal: AbortSignal.timeout(15_000),
          }).catch((error: Error) => error);
          slowest = Math.max(slowest, Date.now() - sent);
          const answer =
            res instanceof Response
              ? String(res.status)
              : res.name === 'TimeoutError'
                ? 'no answer in 15 s'
                : 'connection refused';
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
          if (res instanceof Response && res.status === 202) {
            accepted++;
            break;
          }
          await sleep(1_000);
        }
        await sleep(250);
      }
    })();

    const faults: string[] = [];
    const fault = async (name: string, act: () => Promise<void>) => {
      faults.push(name);
      await act();
    };
    await sleep(5_000);
    await fault('Redis paused 8 s', async () => {
      redis.pause();
      await sleep(8_000);
      redis.resume();
    });
    await sleep(4_000);
    await fault('Redis killed and restarted', async () => {
      await redis.kill();
      await sleep(2_000);
      await redis.start();
    });
    await sleep(4_000);
    await fault('every Postgres connection terminated', async () => {
      await prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    });
    for (const name of ['preprocess', 'recognize', 'ingest', 'notify'] as const) {
      await sleep(3_000);
      await fault(`${name} killed (SIGKILL) and restarted`, async () => {
        await services[name].kill();
        await sleep(1_000);
        await services[name].start();
      });
    }
    await fault('webhook receiver times out for 8 s, then recovers', async () => {
      receiverMode = 'hang';
      await sleep(8_000);
      receiverMode = 'ok';
    });
    await fault('storage full for 5 s', async () => {
      const filler = join(storage, 'filler');
      await writeFile(filler, Buffer.alloc(60 * 1024 * 1024)).catch(() => {}); // fills the 48 MB disk
      await sleep(5_000);
      await rm(filler, { force: true });
    });
    const faultsEnded = Date.now();
    await load;

    // Recovery: every accepted capture reaches a final state (a reading, or failed with its reason).
    const capturesAccepted = await prisma.capture.count({
      where: { meter: { name: { startsWith: 'pushed' } } },
    });
    await waitFor(
      async () => {
        const open = await prisma.capture.count({
          where: { meter: { name: { startsWith: 'pushed' } }, status: { notIn: ['recognized', 'failed'] } },
        });
        return open === 0;
      },
      { timeoutMs: 240_000, intervalMs: 1_000, what: 'every accepted capture to reach a final state' },
    ).catch(() => undefined);
    const recoveredAt = Date.now();
    const captures = await prisma.capture.findMany({
      where: { meter: { name: { startsWith: 'pushed' } } },
      include: { reading: true },
    });
    const final = captures.filter((c) => c.status === 'recognized' || c.status === 'failed');
    const wrongAccepted = captures.filter(
      (c) =>
        c.reading?.status === 'accepted' &&
        truthBySha.has(c.sha256) &&
        c.reading.value !== truthBySha.get(c.sha256),
    );
    // Every stored reading is handed to notify (its job, or the reconciler for one whose job was lost),
    // which records its webhook deliveries; a reading stored late in recovery is not done yet.
    await waitFor(async () => (await prisma.reading.count({ where: { notifiedAt: null } })) === 0, {
      timeoutMs: 120_000,
      what: 'notify to finish every stored reading',
    }).catch(() => undefined);
    // Deliveries: let retries of the hung receiver finish, then count duplicates per event id.
    await waitFor(async () => (await prisma.webhookDelivery.count({ where: { status: 'pending' } })) === 0, {
      timeoutMs: 120_000,
      what: 'webhook deliveries to finish',
    }).catch(() => undefined);
    const redelivered = [...received.values()].filter((n) => n > 1).length;
    const acceptedReadings = await prisma.reading.findMany({
      where: { status: 'accepted' },
      select: { id: true },
    });
    const undelivered = acceptedReadings.filter((r) => !received.has(`reading.accepted:${r.id}`));
    const deliveries = await prisma.webhookDelivery.groupBy({ by: ['status'], _count: true });

    const figures = {
      faults,
      uploads: { framesAccepted: accepted, answers: Object.fromEntries(answers) },
      capturesAccepted,
      capturesFinal: final.length,
      capturesFailed: captures.filter((c) => c.status === 'failed').map((c) => c.error ?? 'no reason'),
      readingsAccepted: captures.filter((c) => c.reading?.status === 'accepted').length,
      wrongReadingsAccepted: wrongAccepted.length,
      uploadSlowestMs: slowest,
      webhookEvents: received.size,
      webhookEventsUndelivered: undelivered.length,
      readingsNotNotified: await prisma.reading.count({ where: { notifiedAt: null } }),
      // At least once: a delivery the subscriber answered just before notify was killed is sent
      // again with the same event id, which the idempotent subscriber applies once.
      webhookEventsRedelivered: redelivered,
      deliveries: Object.fromEntries(deliveries.map((d) => [d.status, d._count])),
      secondsToRecover: Math.round((recoveredAt - faultsEnded) / 100) / 10,
    };
    console.log(`fault suite figures\n${JSON.stringify(figures, null, 2)}`);
    for (const service of Object.values(services))
      expect((await fetch(`${service.url}/healthz`)).status, service.name).toBe(200);
    expect(accepted).toBe(METERS * FRAMES_PER_METER);
    // A refusal says why and when to come back (503 queue, 507 storage), or the service was down.
    expect(
      Object.keys(figures.uploads.answers).filter(
        (a) => !['202', '503', '507', 'connection refused'].includes(a),
      ),
    ).toEqual([]);
    expect(capturesAccepted).toBe(accepted);
    expect(final.length).toBe(capturesAccepted);
    expect(wrongAccepted).toEqual([]);
    expect(undelivered).toEqual([]);
    expect(figures.deliveries.pending ?? 0).toBe(0);
  }, 900_000);
});
