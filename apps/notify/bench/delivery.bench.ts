// bench:notify: time from a reading stored to its alarm's push request leaving notify.
// Each reading is stored as recognize stores it, then queued for notify the way recognize does; notify
// evaluates the meter's rule, raises a critical alarm, plans the outbox row and sends it through
// firebase-admin to a local fake FCM endpoint, which records when the request arrives.
// Usage: pnpm bench:notify [--count 200] [--rate 5]   (readings, readings per second)
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { jobId, QueueName } from '@metertwin/contracts';
import { createPrismaClient } from '@metertwin/db';
import { startNotify } from '@metertwin/notify';
import { QueueService } from '@metertwin/service-kit';
import { createTestDatabase, testSecretsKey, uniqueQueuePrefix, waitFor } from '@metertwin/testing';
import { fakeFcmCredential, startFakeProviders } from '../test/fakes/providers.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, rate: { type: 'string', default: '5' } } });
const count = Number(values.count);
const rate = Number(values.rate);
if (!(count > 0 && rate > 0)) throw new Error('--count and --rate must be positive numbers');

const providers = await startFakeProviders();
const db = await createTestDatabase();
const prisma = createPrismaClient(db.url);
const app = await startNotify(
  {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SECRETS_KEY: testSecretsKey(),
    QUEUE_PREFIX: uniqueQueuePrefix(),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    RULE_TICK_MS: '3600000',
    FCM_PROJECT_ID: 'metertwin-bench',
  },
  { handleSignals: false, delivery: { fcm: { credential: fakeFcmCredential, httpAgent: providers.fcmAgent() } } },
);
const queues = app.get(QueueService);

try {
  const org = await prisma.organization.create({ data: { name: 'bench', slug: 'bench' } });
  const user = await prisma.user.create({ data: { orgId: org.id, name: 'operator', email: 'operator@bench.test', passwordHash: 'x', role: 'operator' } });
  await prisma.pushDevice.create({ data: { userId: user.id, token: 'bench-phone' } });
  // One meter per reading, each with a usable previous reading: every measured reading raises a new alarm.
  const start = Date.now() - 20 * 60_000;
  const meters: string[] = [];
  for (let i = 0; i < count; i++) {
    const meter = await prisma.meter.create({ data: { orgId: org.id, name: `Meter ${i + 1}`, digits: 8, decimals: 3 } });
    await prisma.rule.create({ data: { orgId: org.id, meterId: meter.id, type: 'flow-rate', config: { above: 1 }, severity: 'critical' } });
    await storeReading(meter.id, 1000, new Date(start));
    meters.push(meter.id);
  }

  const storedAt = new Map<string, number>();
  const arrivedAt = new Map<string, number>();
  let scanned = 0;
  const seen = () => {
    for (const request of providers.fcm.slice(scanned)) {
      const meterId = request.message.data?.meterId;
      if (meterId && !arrivedAt.has(meterId)) arrivedAt.set(meterId, request.receivedAt);
    }
    scanned = providers.fcm.length;
  };
  const began = performance.now();
  for (const [i, meterId] of meters.entries()) {
    const due = began + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const reading = await storeReading(meterId, 1000.5, new Date(start + 10 * 60_000));
    storedAt.set(meterId, performance.now());
    await queues.add(QueueName.Notify, { v: 1, ...reading }, { jobId: jobId.notify(reading.readingId) });
  }
  await waitFor(async () => (seen(), arrivedAt.size >= count), { what: 'every push request', timeoutMs: 60_000 + (count * 1000) / rate, intervalMs: 50 });

  await waitFor(async () => (await prisma.notification.count({ where: { status: 'sent' } })) >= count, { what: 'every push recorded as sent' });

  // Where the time goes: rules (stored → alarm row) and delivery (alarm row → push request).
  const wallOffset = Date.now() - performance.now();
  const alarms = new Map((await prisma.alarm.findMany({ select: { meterId: true, raisedAt: true } })).map((a) => [a.meterId, a.raisedAt.getTime() - wallOffset]));
  const total = stats(meters.map((m) => arrivedAt.get(m)! - storedAt.get(m)!));
  const rules = stats(meters.map((m) => alarms.get(m)! - storedAt.get(m)!));
  const delivery = stats(meters.map((m) => arrivedAt.get(m)! - alarms.get(m)!));
  console.log(
    JSON.stringify({
      bench: 'notify: reading stored → FCM push request received by the provider',
      readings: count,
      ratePerSecond: rate,
      ...total,
      storedToAlarm: rules,
      alarmToPush: delivery,
    }),
  );
} finally {
  await app.close();
  await prisma.$disconnect();
  await db.drop();
  await providers.close();
}

/** p50, p95, max and mean of a list of milliseconds, to a tenth. */
function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const round = (v: number) => Math.round(v * 10) / 10;
  return { p50Ms: round(pct(50)), p95Ms: round(pct(95)), maxMs: round(sorted.at(-1)!), meanMs: round(sorted.reduce((s, v) => s + v, 0) / sorted.length) };
}

async function storeReading(meterId: string, value: number, takenAt: Date) {
  const captureId = randomUUID();
  await prisma.capture.create({
    data: { id: captureId, meterId, sha256: randomUUID(), storageKey: `bench/${captureId}.jpg`, contentType: 'image/jpeg', bytes: 1, source: 'upload', takenAt, status: 'recognized' },
  });
  const reading = await prisma.reading.create({
    data: { meterId, captureId, value: value.toFixed(3).padStart(9, '0'), numeric: value, digits: [], confidence: 0.99, status: 'accepted', modelVersion: 'bench', takenAt },
  });
  return { readingId: reading.id, meterId, captureId };
}
