/**
 * pnpm bench:portal [--meters 1000] [--days 365] [--runs 7] [--fresh] [--keep] [--seed-only]
 *
 * A database with N meters and a year of hourly readings each (generated in SQL), the built portal
 * under `next start`, and Chromium (Debian's, through playwright-core). Measures per page the server
 * time (time to first byte and to the whole response, fetch from Node) and the time to a usable page
 * in the browser, plus the live latency from a reading stored to the browser showing it.
 * Prints one JSON object. The seeded database is dropped at the end; with --keep it stays, named by
 * its size, and the next run reuses it (--fresh seeds it again; --seed-only seeds, keeps it and stops).
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { LiveChannel } from '@metertwin/contracts';
import { createPrismaClient, hashPassword, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, TEST_SERVER_URL } from '@metertwin/testing';
import { createSession, SESSION_COOKIE } from '../src/lib/auth';
import { appDir, launchChromium, startPortal, type RunningPortal } from '../test/support/portal';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const { values: args } = parseArgs({
  options: {
    meters: { type: 'string', default: '1000' },
    days: { type: 'string', default: '365' },
    runs: { type: 'string', default: '7' },
    fresh: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'seed-only': { type: 'boolean', default: false },
  },
});
const METERS = Number(args.meters);
const DAYS = Number(args.days);
const RUNS = Number(args.runs);
const log = (msg: string) => process.stderr.write(`[bench:portal] ${msg}\n`);

function adminUrl(db: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${db}`;
  return url.toString();
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const stats = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

/** The seed, in SQL: N meters (every 10th a heat meter with a conversion), a camera each, D×24 hourly readings each. */
async function seed(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe(`SET synchronous_commit = off`);
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Organization"(id, name, slug) VALUES ('bench-org', 'Bench', 'bench')`,
  );
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Meter"(id, "orgId", name, location, "group", kind, digits, decimals, unit, "timeZone", conversion, "updatedAt")
    SELECT 'meter-' || lpad(i::text, 5, '0'), 'bench-org', 'Meter ' || lpad(i::text, 4, '0'),
           'Site ' || (i % 25), 'District ' || (i % 7),
           (CASE WHEN i % 10 = 0 THEN 'heat' ELSE 'water' END)::"MeterKind", 8, 3, 'm3',
           (ARRAY['Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Tokyo'])[1 + i % 4],
           CASE WHEN i % 10 = 0 THEN '{"kind":"factor","kWhPerUnit":11.6}'::jsonb END, now()
    FROM generate_series(1, ${METERS}) i`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Device"(id, "meterId", name, "pullIntervalSec", "lastSeenAt", "lastError", "lastErrorAt")
    SELECT 'dev-' || m.id, m.id, 'camera', 3600,
           (now() AT TIME ZONE 'UTC') - (CASE WHEN n % 50 = 0 THEN interval '1 day' ELSE interval '2 minutes' END),
           CASE WHEN n % 37 = 0 THEN 'HTTP 401 from camera' END,
           CASE WHEN n % 37 = 0 THEN now() AT TIME ZONE 'UTC' END
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "Meter") m`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Alarm"(id, "orgId", "meterId", type, severity, message, "openKey")
    SELECT 'alarm-' || id, 'bench-org', id, 'leak', 'major', 'continuous flow for 2 h', id || ':leak'
    FROM "Meter" WHERE id LIKE '%3'`);
  // Bulk load: foreign-key triggers off and secondary indexes dropped while the rows go in, then the
  // indexes are built once from their own definitions (several times faster than row-by-row upkeep).
  const indexes = await prisma.$queryRawUnsafe<{ name: string; def: string }[]>(`
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
    WHERE i.tablename IN ('Capture', 'Reading') AND i.indexname NOT LIKE '%_pkey'`);
  for (const table of ['Capture', 'Reading'])
    await prisma.$executeRawUnsafe(`ALTER TABLE "${table}" DISABLE TRIGGER ALL`);
  for (const { name } of indexes) await prisma.$executeRawUnsafe(`DROP INDEX "${name}"`);
  // Counter k hours after the start: monotonic, with a daily rhythm. Consumption is its hourly step.
  const hours = DAYS * 24;
  const t0 = performance.now();
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Capture"(id, "meterId", sha256, "storageKey", "contentType", bytes, source, "takenAt", status)
    SELECT m.id || '-' || k, m.id, md5(m.id || k) || md5(k || m.id), 'bench/none.jpg', 'image/jpeg', 40000, 'pull',
           date_trunc('hour', now() AT TIME ZONE 'UTC') - (${hours - 1} - k) * interval '1 hour', 'recognized'
    FROM "Meter" m, generate_series(0, ${hours - 1}) k`);
  log(`captures: ${ms(t0)} ms`);
  const t1 = performance.now();
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Reading"(id, "meterId", "captureId", value, numeric, digits, confidence, status, consumption, "flowPerHour",
                          energy, "modelVersion", "takenAt")
    SELECT c.id, c."meterId", c.id, to_char(v.now_value, 'FM00000.000'), v.now_value, '[]', 0.97,
           (CASE WHEN v.k % 97 = 0 THEN 'needs_review' ELSE 'accepted' END)::"ReadingStatus",
           CASE WHEN v.k > 0 THEN v.now_value - v.prev_value END, (v.now_value - v.prev_value)::float8,
           CASE WHEN v.heat AND v.k > 0 THEN (v.now_value - v.prev_value) * 11.6 END,
           'bench', c."takenAt"
    FROM (SELECT id, "meterId", "takenAt", split_part(id, '-', 3)::int AS k FROM "Capture") c
    JOIN "Meter" m ON m.id = c."meterId"
    CROSS JOIN LATERAL (
      SELECT c.k AS k, m.kind = 'heat' AS heat,
             round((100 + 0.03 * c.k + 0.02 * sin(c.k * pi() / 12))::numeric, 3) AS now_value,
             round((100 + 0.03 * (c.k - 1) + 0.02 * sin((c.k - 1) * pi() / 12))::numeric, 3) AS prev_value
    ) v`);
  log(`readings: ${ms(t1)} ms`);
  const t2 = performance.now();
  await prisma.$executeRawUnsafe(`SET maintenance_work_mem = '256MB'`);
  for (const { def } of indexes) await prisma.$executeRawUnsafe(def);
  for (const table of ['Capture', 'Reading'])
    await prisma.$executeRawUnsafe(`ALTER TABLE "${table}" ENABLE TRIGGER ALL`);
  log(`indexes: ${ms(t2)} ms`);
  // The roll-up triggers were off with the others: fill the hourly roll-up the way the migration's
  // backfill does, meter by meter through the (meterId, takenAt) index.
  const t3 = performance.now();
  await prisma.$executeRawUnsafe(`
    INSERT INTO "ReadingHourly"
    SELECT c.* FROM "Meter" m, LATERAL reading_hourly_compute(m.id, '-infinity', 'infinity') c`);
  log(`hourly roll-up: ${ms(t3)} ms`);
  await prisma.$executeRawUnsafe(`ANALYZE`);
}

async function main() {
  if (!args['seed-only'] && !existsSync(path.join(appDir, '.next/BUILD_ID'))) {
    throw new Error('build the portal first: pnpm --filter @metertwin/web build');
  }
  const name = `metertwin_bench_portal_${METERS}x${DAYS}`;
  const admin = createPrismaClient(adminUrl('postgres'));
  const exists =
    (await admin.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length >
    0;
  let seeded: { ms: number | null; readings: number } = { ms: null, readings: 0 };
  if (exists && args.fresh) await admin.$executeRawUnsafe(`DROP DATABASE "${name}" WITH (FORCE)`);
  if (!exists || args.fresh) {
    const db = await createTestDatabase();
    await admin.$executeRawUnsafe(
      `ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" RENAME TO "${name}"`,
    );
    const prisma = createPrismaClient(adminUrl(name));
    const t0 = performance.now();
    log(`seeding ${METERS} meters × ${DAYS * 24} hourly readings`);
    await seed(prisma);
    seeded = { ms: ms(t0), readings: 0 };
    await prisma.$disconnect();
  } else {
    log(`reusing ${name}`);
  }
  const prisma = createPrismaClient(adminUrl(name));
  seeded.readings = Number(
    (await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "Reading"`))[0]!.n,
  );
  if (args['seed-only']) {
    process.stdout.write(`${JSON.stringify({ database: name, meters: METERS, days: DAYS, ...seeded })}\n`);
    await prisma.$disconnect();
    await admin.$disconnect();
    return;
  }

  await prisma.user.deleteMany({ where: { email: 'bench@example.test' } });
  const user = await prisma.user.create({
    data: {
      orgId: 'bench-org',
      email: 'bench@example.test',
      name: 'Bench',
      role: 'operator',
      passwordHash: await hashPassword('bench'),
    },
  });
  const { token } = await createSession(prisma, user.id, { userAgent: 'bench' });
  const cookie = `${SESSION_COOKIE}=${token}`;

  const publisher = new Redis(REDIS_URL);
  let portal: RunningPortal | undefined;
  let browser: Browser | undefined;
  try {
    portal = await startPortal(
      { DATABASE_URL: adminUrl(name), REDIS_URL, STORAGE_DIR: await mkdtemp(path.join(tmpdir(), 'mt-bench-')) },
      { timeoutMs: 60_000 },
    );
    const { base, output } = portal;
    browser = await launchChromium();

    const twinId = 'meter-00010'; // a heat meter: the twin shows the energy view too
    const pages = {
      fleet: { path: '/', ready: '[data-meter-id] [role="img"]' },
      fleetFiltered: { path: '/?status=alarm&sort=today&q=district', ready: '[data-meter-id]' },
      twin: { path: `/meters/${twinId}`, ready: '[data-testid="history-chart"] canvas' },
      historyYearApi: { path: `/api/meters/${twinId}/history?range=day&buckets=365`, ready: null },
      historyYearHourlyApi: { path: `/api/meters/${twinId}/history?range=hour&buckets=8760`, ready: null },
    } as const;

    // Server time: from Node, so the browser's own work is not in it.
    const server_: Record<
      string,
      { ttfbMs: ReturnType<typeof stats>; totalMs: ReturnType<typeof stats>; bytes: number }
    > = {};
    for (const [key, page] of Object.entries(pages)) {
      const ttfb: number[] = [];
      const total: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS + 1; i++) {
        const t0 = performance.now();
        const res = await fetch(`${base}${page.path}`, { headers: { cookie } });
        const first = ms(t0);
        const body = await res.arrayBuffer();
        if (!res.ok) throw new Error(`${page.path}: HTTP ${res.status}\n${output().slice(-3000)}`);
        if (i === 0) continue; // the first request warms the route up
        ttfb.push(first);
        total.push(ms(t0));
        bytes = body.byteLength;
      }
      server_[key] = { ttfbMs: stats(ttfb), totalMs: stats(total), bytes };
    }

    // Usable: navigation until the page's content is on screen (tiles drawn, chart canvas drawn).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([
      { name: SESSION_COOKIE, value: token, url: base, httpOnly: true, sameSite: 'Lax' },
    ]);
    const tab = await context.newPage();
    const usable: Record<string, { ttfbMs: ReturnType<typeof stats>; usableMs: ReturnType<typeof stats> }> =
      {};
    for (const [key, page] of Object.entries(pages)) {
      if (!page.ready) continue;
      const ttfb: number[] = [];
      const ready: number[] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const t0 = performance.now();
        await tab.goto(`${base}${page.path}`, { waitUntil: 'commit' });
        await tab.waitForSelector(page.ready, { state: 'visible', timeout: 30_000 });
        const took = ms(t0);
        const nav = await tab.evaluate(() => {
          const e = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          return e.responseStart - e.requestStart;
        });
        if (i === 0) continue;
        ready.push(took);
        ttfb.push(Math.round(nav * 10) / 10);
      }
      usable[key] = { ttfbMs: stats(ttfb), usableMs: stats(ready) };
    }
    const tiles = await (async () => {
      await tab.goto(`${base}/`);
      return tab.locator('[data-meter-id]').count();
    })();

    // Live: store a reading (as recognize does), publish reading.stored, wait for the twin's counter to show it.
    await tab.goto(`${base}/meters/${twinId}`);
    await tab.waitForSelector('[data-testid="history-chart"] canvas');
    await tab.waitForTimeout(1500); // the page's event stream connects
    const latencies: number[] = [];
    const last = await prisma.reading.findFirstOrThrow({
      where: { meterId: twinId },
      orderBy: { takenAt: 'desc' },
    });
    let numeric = Number(last.numeric);
    for (let i = 0; i < RUNS; i++) {
      numeric += 0.111 + i * 0.01;
      const value = numeric.toFixed(3).padStart(9, '0');
      // A string, not a function: tsx's name helpers do not exist in the page.
      const seen = tab.evaluate(`new Promise((resolve) => {
        const shown = () => document.querySelector('[data-value="${value}"]');
        if (shown()) return resolve(Date.now());
        const observer = new MutationObserver(() => {
          if (shown()) {
            observer.disconnect();
            resolve(Date.now());
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      })`) as Promise<number>;
      const takenAt = new Date();
      const capture = await prisma.capture.create({
        data: {
          meterId: twinId,
          sha256: `live-${Date.now()}-${i}`.padEnd(64, '0'),
          storageKey: 'bench/none.jpg',
          contentType: 'image/jpeg',
          bytes: 1,
          source: 'pull',
          takenAt,
          status: 'recognized',
        },
      });
      const reading = await prisma.reading.create({
        data: {
          meterId: twinId,
          captureId: capture.id,
          value,
          numeric: value,
          digits: [],
          confidence: 0.97,
          status: 'accepted',
          modelVersion: 'bench',
          takenAt,
        },
      });
      const stored = Date.now();
      await publisher.publish(
        LiveChannel,
        JSON.stringify({
          v: 1,
          type: 'reading.stored',
          meterId: twinId,
          readingId: reading.id,
          captureId: capture.id,
          value,
          status: 'accepted',
          at: takenAt.toISOString(),
        }),
      );
      latencies.push((await seen) - stored);
      await tab.waitForTimeout(800);
    }

    const result = {
      bench: 'portal',
      at: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length },
      data: {
        meters: METERS,
        days: DAYS,
        readings: seeded.readings,
        seedMs: seeded.ms,
        fleetTilesOnFirstPage: tiles,
      },
      runs: RUNS,
      serverMs: server_,
      browserMs: usable,
      liveUpdateMs: { ...stats(latencies), all: latencies },
      targets: { serverMs: 500, liveUpdateMs: 1000 },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser?.close();
    await portal?.stop();
    publisher.disconnect();
    await prisma.$disconnect();
    if (!args.keep) {
      log(`dropping ${name} (pass --keep to reuse it)`);
      await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
    await admin.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
