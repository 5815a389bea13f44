// pnpm bench:pipeline [--meters 1] [--rate 12] [--seconds 25] [--replicas 1] [--parallel 8] [--seed 5] [--env K=V …]
// The four services as built processes (K replicas of each, `pnpm build` first) against a fresh database
// and queue prefix; N simulated cameras push composed photos (truth known) through POST
// /v1/meters/:id/captures, R photos a second in all for S seconds, each camera in time order, at most
// --parallel uploads in flight (a refused upload is sent again after its Retry-After). Then it waits for
// every accepted photo's reading and its notify job, and prints per stage the CPU ms per photo (process
// CPU time of its replicas, from /proc), queue lag and job time (the services' /metrics), and end to end
// p50/p95 photo→reading latency, readings/s, lost and duplicated readings, and how many readings are
// right, and why the others went to review. JSON at the end.
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createMeterWithCamera, createPrismaClient } from '@metertwin/db';
import { createTestDatabase, testSecretsKey, uniqueQueuePrefix, waitFor } from '@metertwin/testing';
import { freePort } from '../e2e/redis-server.js';
import { ServiceProcess, type ServiceName } from '../faults/cluster.js';
import { cpuMs } from './cpu.js';
import { composeFleet } from './fleet.js';
import { addHistogram, emptyHistogram, histogramQuantile } from './scrape.js';
import { quantile, round } from './stats.js';

const Args = z.object({
  meters: z.coerce.number().int().min(1),
  rate: z.coerce.number().positive(),
  seconds: z.coerce.number().positive(),
  replicas: z.coerce.number().int().min(1).max(8),
  parallel: z.coerce.number().int().min(1),
  seed: z.coerce.number().int(),
  env: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*=/, '--env takes KEY=VALUE')),
});
const { values } = parseArgs({
  options: {
    meters: { type: 'string', default: '1' },
    rate: { type: 'string', default: '12' },
    seconds: { type: 'string', default: '25' },
    replicas: { type: 'string', default: '1' },
    parallel: { type: 'string', default: '8' },
    seed: { type: 'string', default: '5' },
    /** Extra service configuration, e.g. --env INGEST_MAX_QUEUE_DEPTH=200. */
    env: { type: 'string', multiple: true, default: [] },
  },
});
const args = Args.parse(values);
const SERVICES: ServiceName[] = ['ingest', 'preprocess', 'recognize', 'notify'];
const STAGE_QUEUE: Partial<Record<ServiceName, string>> = { preprocess: 'preprocess', recognize: 'recognize', notify: 'notify' };
const photos = Math.round(args.rate * args.seconds);
const framesPerMeter = Math.ceil(photos / args.meters);
const log = (text: string) => process.stderr.write(`[bench:pipeline] ${text}\n`);

log(`composing ${photos} photos of ${args.meters} meter(s)…`);
const fleet = await composeFleet(args.meters, framesPerMeter, args.seed);
const db = await createTestDatabase();
const prisma = createPrismaClient(db.url);
const storage = await mkdtemp(join(tmpdir(), 'metertwin-bench-pipeline-'));
const services: ServiceProcess[] = [];
try {
  const org = await prisma.organization.create({ data: { name: 'Bench', slug: `bench-${Date.now()}` } });
  const meters = await Promise.all(
    fleet.map(async (composed, m) => ({
      ...(await createMeterWithCamera(prisma, { orgId: org.id, name: `bench ${m}`, digits: 8, decimals: 3, layout: composed.layout })),
      frames: composed.frames,
    })),
  );
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: uniqueQueuePrefix(),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    STORAGE_DIR: storage,
    SECRETS_KEY: testSecretsKey(),
    ...Object.fromEntries(args.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  };
  log(`starting ${args.replicas} replica(s) of each service…`);
  for (const name of SERVICES) {
    for (let r = 0; r < args.replicas; r++) services.push(new ServiceProcess(name, await freePort(), env));
  }
  await Promise.all(services.map((s) => s.start()));
  const ingests = services.filter((s) => s.name === 'ingest');
  const cpuBefore = services.map((s) => cpuMs(s.pid!));

  // The cameras: photo i goes at i/rate seconds, round-robin over the meters, each meter's in time order.
  log(`driving ${photos} photos at ${args.rate}/s, ${args.parallel} in flight at most…`);
  const sentAt = new Map<string, number>();
  const truth = new Map<string, string>();
  let refused = 0;
  let duplicates = 0;
  let lastAccepted = 0;
  const started = Date.now();
  let next = 0;
  const upload = async (i: number) => {
    const meter = meters[i % meters.length]!;
    const frame = meter.frames[Math.floor(i / meters.length)]!;
    const ingest = ingests[i % ingests.length]!;
    for (;;) {
      const sent = Date.now();
      const res = await fetch(`${ingest.url}/v1/meters/${meter.meterId}/captures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${meter.deviceToken}`, 'content-type': 'image/jpeg', 'x-taken-at': frame.takenAt.toISOString() },
        body: new Uint8Array(frame.jpeg),
      });
      const body = (await res.json()) as { captureId?: string; duplicate?: boolean; message?: string };
      if (res.status === 202) {
        if (body.duplicate) duplicates++;
        sentAt.set(body.captureId!, sent);
        truth.set(body.captureId!, frame.display);
        lastAccepted = Date.now();
        return;
      }
      if (res.status !== 503 && res.status !== 507) throw new Error(`upload answered ${res.status}: ${body.message}`);
      refused++;
      await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(args.parallel, photos) }, async () => {
      for (let i = next++; i < photos; i = next++) {
        await sleep(started + (i * 1000) / args.rate - Date.now());
        await upload(i);
      }
    }),
  );
  const accepted = sentAt.size;
  log(`${accepted} accepted (${refused} refused and sent again); waiting for readings and notify…`);
  const meterIds = meters.map((m) => m.meterId);
  const notified = async () => {
    const pages = await scrapeAll(services.filter((s) => s.name === 'notify'));
    const h = emptyHistogram();
    for (const page of pages) addHistogram(h, page, 'metertwin_job_duration_seconds', 'notify', 'completed');
    return h.count;
  };
  // Done when every accepted capture is final (read, or failed with its reason) and notify finished its readings.
  const settled = async () => {
    const final = await prisma.capture.count({ where: { meterId: { in: meterIds }, status: { in: ['recognized', 'failed'] } } });
    const stored = await prisma.reading.count({ where: { meterId: { in: meterIds } } });
    return final >= accepted && (await notified()) >= stored;
  };
  await waitFor(settled, { timeoutMs: 10 * 60_000, intervalMs: 250, what: 'every accepted photo to be read and notified' }).catch(
    (error: Error) => log(error.message),
  );
  const cpuAfter = services.map((s) => cpuMs(s.pid!));
  const pages = await scrapeAll(services);

  const readings = await prisma.reading.findMany({
    where: { meterId: { in: meterIds } },
    select: { captureId: true, value: true, status: true, reason: true, createdAt: true, meterId: true, takenAt: true },
  });
  const latencies = readings.filter((r) => sentAt.has(r.captureId)).map((r) => r.createdAt.getTime() - sentAt.get(r.captureId)!);
  const lastReading = Math.max(...readings.map((r) => r.createdAt.getTime()));
  const perStage = Object.fromEntries(
    SERVICES.map((name) => {
      const picked = services.map((s, i) => ({ s, i })).filter(({ s }) => s.name === name);
      const cpu = picked.reduce((sum, { i }) => sum + cpuAfter[i]! - cpuBefore[i]!, 0);
      const queue = STAGE_QUEUE[name];
      const wait = emptyHistogram();
      const work = emptyHistogram();
      for (const { i } of queue ? picked : []) {
        addHistogram(wait, pages[i]!, 'metertwin_job_wait_seconds', queue!);
        addHistogram(work, pages[i]!, 'metertwin_job_duration_seconds', queue!, 'completed');
      }
      const ms = (s: number | null) => round(s === null ? null : s * 1000, 0);
      return [
        name,
        {
          cpuMsPerPhoto: round(cpu / Math.max(1, accepted)),
          ...(queue
            ? {
                jobs: work.count,
                queueLagMs: { p50: ms(histogramQuantile(wait, 0.5)), p95: ms(histogramQuantile(wait, 0.95)) },
                jobMs: { mean: ms(work.count ? work.sum / work.count : null), p95: ms(histogramQuantile(work, 0.95)) },
              }
            : {}),
        },
      ];
    }),
  );
  const status = (s: string) => readings.filter((r) => r.status === s).length;
  const right = readings.filter((r) => r.value === truth.get(r.captureId));
  const perCapture = new Map<string, number>();
  for (const r of readings) perCapture.set(r.captureId, (perCapture.get(r.captureId) ?? 0) + 1);
  const failed = new Set(
    (await prisma.capture.findMany({ where: { meterId: { in: meterIds }, status: 'failed' }, select: { id: true } })).map((c) => c.id),
  );
  const perFrame = new Set(readings.map((r) => `${r.meterId}@${r.takenAt.toISOString()}`));
  const result = {
    when: new Date().toISOString(),
    args: { ...args, photos },
    machine: 'shared: CPU ms are process CPU time (little affected by other load); wall-clock figures are not',
    stages: perStage,
    cpuMsPerPhotoAllStages: round(Object.values(perStage).reduce((sum, s) => sum + s.cpuMsPerPhoto!, 0)),
    uploads: { accepted, refused, duplicates, acceptedPerSecond: round(accepted / ((lastAccepted - started) / 1000)) },
    readings: {
      stored: readings.length,
      perSecond: round(readings.length / ((lastReading - started) / 1000)),
      latencyMs: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) },
      lost: [...sentAt.keys()].filter((id) => !perCapture.has(id) && !failed.has(id)).length,
      failedCaptures: failed.size,
      duplicated: readings.length - perFrame.size,
      right: right.length,
      rightAccepted: right.filter((r) => r.status === 'accepted').length,
      wrongAccepted: readings.filter((r) => r.status === 'accepted' && r.value !== truth.get(r.captureId)).length,
      accepted: status('accepted'),
      corrected: status('corrected'),
      review: status('needs_review'),
      reviewForOrder: readings.filter((r) => r.reason?.includes('taken before the previous accepted reading')).length,
      rejected: status('rejected'),
      // Why readings went to review, by the start of the reason (numbers and dates blanked out).
      reviewReasons: countBy(readings.filter((r) => r.status === 'needs_review').map((r) => (r.reason ?? '').replace(/[\d.:TZ-]{4,}/g, '#').slice(0, 70))),
    },
  };
  printTable(result);
  console.log(JSON.stringify(result));
} finally {
  await Promise.allSettled(services.map((s) => s.stop()));
  await prisma.$disconnect();
  await db.drop();
  await rm(storage, { recursive: true, force: true });
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

function scrapeAll(list: ServiceProcess[]): Promise<string[]> {
  return Promise.all(list.map(async (s) => (await fetch(`${s.url}/metrics`)).text()));
}

function printTable(result: { stages: Record<string, object>; cpuMsPerPhotoAllStages: number | null; uploads: object; readings: object }) {
  for (const [name, stage] of Object.entries(result.stages)) console.log(`${name.padEnd(11)} ${JSON.stringify(stage)}`);
  console.log(`all stages  CPU ${result.cpuMsPerPhotoAllStages} ms/photo`);
  console.log(`uploads     ${JSON.stringify(result.uploads)}`);
  console.log(`readings    ${JSON.stringify(result.readings)}`);
}
