// pnpm bench:rules [--meters 10000] [--readings 100000] [--worker] [--worker-meters 1000] [--worker-readings 10000]
// Rule evaluations per second over a burst of readings spread across meters: first the engine in
// process with the eight built-in rule types on every meter (history kept in memory, state round-
// tripped through JSON as the database would); with --worker, also through the notify service's
// worker against a fresh Postgres database and Redis (the production path: history query, rule state,
// advisory lock, alarm writes). Prints one JSON object.
import { parseArgs } from 'node:util';
import { builtInRules, evaluateRules, historyWindowFor, RuleRegistry, type HistoryReading, type StoredRule } from '../src/index.js';

const { values } = parseArgs({
  options: {
    meters: { type: 'string', default: '10000' },
    readings: { type: 'string', default: '100000' },
    worker: { type: 'boolean', default: false },
    'worker-meters': { type: 'string', default: '1000' },
    'worker-readings': { type: 'string', default: '10000' },
  },
});
const MINUTE = 60_000;
const START = Date.parse('2026-03-02T00:00:00Z');

/** Every built-in type with an ordinary config: what a fully equipped meter carries. */
const RULES: readonly Omit<StoredRule, 'id' | 'state'>[] = [
  { type: 'threshold', config: { above: 100_000 } },
  { type: 'flow-rate', config: { above: 1.5 } },
  { type: 'consumption', config: { period: 'day', above: 2, timeZone: 'Europe/Berlin' } },
  { type: 'continuous-flow', config: { timeZone: 'Europe/Berlin', hours: 3 } },
  { type: 'no-reading', config: { minutes: 90 } },
  { type: 'stuck-review', config: { count: 3 } },
  { type: 'sudden-jump', config: { above: 2, medianFactor: 10 } },
  { type: 'budget', config: { period: 'month', budget: 12, percent: 80, timeZone: 'Europe/Paris' } },
];

/** A deterministic burst: round by round, one reading per meter, 10 minutes apart; some meters leak, some jump. */
function* burst(meters: number, readings: number) {
  for (let i = 0; i < readings; i++) {
    const meter = i % meters;
    const round = Math.floor(i / meters);
    const flow = meter % 7 === 0 ? 0.02 : round % 3 === 0 ? 0 : 0.05 + (meter % 5) * 0.01; // m³ per 10 min
    const value = 1000 + meter + round * flow + (meter % 97 === 0 && round === 5 ? 3 : 0);
    yield { meter, round, reading: { id: `r${i}`, meterId: `m${meter}`, numeric: Number(value.toFixed(3)), status: round % 50 === 49 ? 'needs_review' : 'accepted', takenAt: new Date(START + round * 10 * MINUTE) } };
  }
}

function benchEngine(meters: number, readings: number) {
  const registry = new RuleRegistry(builtInRules);
  const rules: StoredRule[] = RULES.map((r, i) => ({ ...r, id: `rule-${i}` }));
  const windowMs = historyWindowFor(rules, registry);
  const history = new Map<number, HistoryReading[]>();
  const states = new Map<number, unknown[]>();
  const outcomes = { raise: 0, clear: 0, skip: 0, error: 0 };
  const started = performance.now();
  for (const { meter, reading } of burst(meters, readings)) {
    const past = history.get(meter) ?? [];
    const since = reading.takenAt.getTime() - windowMs;
    while (past.length > 0 && past[0]!.takenAt.getTime() < since) past.shift();
    const state = states.get(meter) ?? [];
    const results = evaluateRules({ rules: rules.map((r, i) => ({ ...r, state: state[i] })), reading, history: past, now: reading.takenAt, registry });
    // Persisted as JSON between readings, like RuleState rows.
    states.set(meter, results.map((r) => (r.nextState === undefined ? undefined : JSON.parse(JSON.stringify(r.nextState)))));
    for (const r of results) outcomes[r.error ? 'error' : r.outcome.state]++;
    past.push({ id: reading.id, numeric: reading.numeric, status: reading.status, takenAt: reading.takenAt });
    history.set(meter, past);
  }
  const seconds = (performance.now() - started) / 1000;
  const evaluations = readings * rules.length;
  return {
    meters,
    readings,
    rulesPerMeter: rules.length,
    evaluations,
    seconds: round(seconds, 3),
    readingsPerSecond: Math.round(readings / seconds),
    evaluationsPerSecond: Math.round(evaluations / seconds),
    outcomes,
  };
}

/** The same kind of burst through notify's worker: rows in Postgres, one notify job per reading, drained by the service. */
async function benchWorker(meters: number, readings: number) {
  const [{ createTestDatabase, testSecretsKey, uniqueQueuePrefix }, { createPrismaClient }, { startNotify }, { QueueName, jobId }, { QueueService }] = await Promise.all([
    import('@metertwin/testing'),
    import('@metertwin/db'),
    import('@metertwin/notify'),
    import('@metertwin/contracts'),
    import('@metertwin/service-kit'),
    import('reflect-metadata'),
  ]);
  const db = await createTestDatabase();
  const prisma = createPrismaClient(db.url);
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SECRETS_KEY: testSecretsKey(),
    QUEUE_PREFIX: uniqueQueuePrefix(),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'error',
    STORAGE_DIR: '/tmp',
  };
  try {
    const org = await prisma.organization.create({ data: { name: 'bench', slug: `bench-${Date.now()}` } });
    const meterIds = Array.from({ length: meters }, () => crypto.randomUUID());
    await prisma.meter.createMany({ data: meterIds.map((id, i) => ({ id, orgId: org.id, name: `bench ${i}`, digits: 8, decimals: 3, timeZone: 'Europe/Berlin' })) });
    // Organization-wide rules: every meter carries all eight.
    await prisma.rule.createMany({ data: RULES.map((r) => ({ orgId: org.id, type: r.type, config: r.config as object })) });
    const rows = [...burst(meters, readings)].map(({ meter, reading }) => ({ ...reading, id: crypto.randomUUID(), captureId: crypto.randomUUID(), meterId: meterIds[meter]! }));
    for (let i = 0; i < rows.length; i += 5_000) {
      const chunk = rows.slice(i, i + 5_000);
      await prisma.capture.createMany({
        data: chunk.map((r) => ({ id: r.captureId, meterId: r.meterId, sha256: r.captureId, storageKey: `bench/${r.captureId}.jpg`, contentType: 'image/jpeg', bytes: 1, source: 'upload' as const, takenAt: r.takenAt, status: 'recognized' as const })),
      });
      await prisma.reading.createMany({
        data: chunk.map((r) => ({ id: r.id, meterId: r.meterId, captureId: r.captureId, value: r.numeric!.toFixed(3), numeric: r.numeric, digits: [], confidence: 0.99, status: r.status as 'accepted' | 'needs_review', modelVersion: 'bench', takenAt: r.takenAt })),
      });
    }
    console.error(`bench: ${rows.length} readings stored; starting notify`);
    const app = await startNotify(env, { handleSignals: false });
    const queue = app.get(QueueService).get(QueueName.Notify);
    const started = performance.now();
    for (let i = 0; i < rows.length; i += 1_000) {
      await queue.addBulk(rows.slice(i, i + 1_000).map((r) => ({ name: QueueName.Notify, data: { v: 1, readingId: r.id, meterId: r.meterId, captureId: r.captureId }, opts: { jobId: jobId.notify(r.id), removeOnComplete: true, attempts: 3 } })));
    }
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (counts.waiting + counts.active + counts.delayed + counts.prioritized === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    const failed = await queue.getJobCountByTypes('failed');
    const alarms = await prisma.alarm.count();
    await app.close();
    return {
      meters,
      readings,
      rulesPerMeter: RULES.length,
      evaluations: readings * RULES.length,
      seconds: round(seconds, 2),
      readingsPerSecond: Math.round(readings / seconds),
      evaluationsPerSecond: Math.round((readings * RULES.length) / seconds),
      failedJobs: failed,
      alarms,
      workerConcurrency: 4,
    };
  } finally {
    await prisma.$disconnect();
    await db.drop();
  }
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

const result: Record<string, unknown> = { engine: benchEngine(Number(values.meters), Number(values.readings)) };
if (values.worker) result.worker = await benchWorker(Number(values['worker-meters']), Number(values['worker-readings']));
console.log(JSON.stringify(result, null, 2));
