import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { getConsumptionHistory, HISTORY_RANGES, toHistoryBucket, type HistoryRange } from '../src/lib/meters';
import { findConsumptionBuckets, zoneHasWholeHourOffsets } from '../src/lib/reading.repository';
import { reviewReading } from '../src/lib/review';
import { createOrg } from './fixtures';
import { createUser } from './support/auth';

/**
 * The hourly roll-up (ReadingHourly, kept by triggers on Reading) against the raw readings: after every
 * kind of write the table equals a recomputation from the raw rows, and the history chart read from it
 * equals the chart bucketed from raw rows, across a DST change.
 */

let db: TestDatabase;
let prisma: PrismaClient;
let storageDir: string;
let orgId: string;
let meterId: string;

// Summer time starts on 29 March 2026 in Berlin and on 8 March in New York: both lie in the ranges.
const NOW = new Date('2026-03-30T10:17:00Z');
const ZONES = ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Tokyo'];

/** Rows of ReadingHourly that differ from a fresh recomputation from the raw readings (either way). */
async function rollupDrift(): Promise<unknown[]> {
  return prisma.$queryRaw<unknown[]>`
    WITH fresh AS (SELECT c.* FROM "Meter" m, LATERAL reading_hourly_compute(m.id, '-infinity', 'infinity') c),
    kept AS (SELECT * FROM "ReadingHourly")
    (SELECT 'missing' AS kind, * FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept) a)
    UNION ALL
    (SELECT 'stale' AS kind, * FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh) b)`;
}

async function expectChartsMatchRaw(): Promise<void> {
  for (const tz of ZONES) {
    for (const range of Object.keys(HISTORY_RANGES) as HistoryRange[]) {
      const count = HISTORY_RANGES[range].buckets;
      const fromRollup = await getConsumptionHistory(prisma, meterId, range, { now: NOW, timeZone: tz });
      const raw = (await findConsumptionBuckets(prisma, meterId, { range, end: NOW, tz, count })).map(
        toHistoryBucket,
      );
      expect(fromRollup, `${tz} ${range}`).toEqual(raw);
    }
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-rollup-'));
  orgId = await createOrg(prisma);
  meterId = (
    await prisma.meter.create({
      data: { orgId, name: 'Rollup', digits: 8, decimals: 3, timeZone: 'Europe/Berlin' },
    })
  ).id;
  // Every 37 minutes from 1 January to two hours after NOW: mostly accepted, some waiting for review,
  // rejected, unreadable (no value) and corrected, with energy on every third; written in bulk.
  const start = new Date('2026-01-01T00:05:00Z').getTime();
  const rows: { id: string; takenAt: Date; i: number }[] = [];
  for (let i = 0, t = start; t < NOW.getTime() + 2 * 3_600_000; i++, t += 37 * 60_000) {
    rows.push({ id: `rollup-${i}`, takenAt: new Date(t), i });
  }
  await prisma.capture.createMany({
    data: rows.map((r) => ({
      id: r.id,
      meterId,
      sha256: r.id.padStart(64, '0'),
      storageKey: `captures/${r.id}.jpg`,
      contentType: 'image/jpeg',
      bytes: 1,
      source: 'pull' as const,
      takenAt: r.takenAt,
      status: 'recognized' as const,
    })),
  });
  await prisma.reading.createMany({
    data: rows.map(({ id, takenAt, i }) => {
      const status =
        i % 13 === 0 ? 'rejected' : i % 11 === 0 ? 'needs_review' : i % 17 === 0 ? 'corrected' : 'accepted';
      const unreadable = i % 29 === 0;
      const numeric = (100 + i * 0.125).toFixed(3);
      return {
        id,
        meterId,
        captureId: id,
        value: unreadable ? null : numeric,
        numeric: unreadable ? null : numeric,
        digits: [],
        confidence: 0.9,
        status,
        consumption: i === 0 || unreadable ? null : '0.125',
        energy: i % 3 === 0 ? '1.45' : null,
        modelVersion: 'test',
        takenAt,
      };
    }),
  });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
  await rm(storageDir, { recursive: true, force: true });
});

describe('the hourly roll-up of readings', () => {
  it('is filled by a bulk insert and gives the same chart as the raw readings in every zone and range', async () => {
    expect(await prisma.readingHourly.count({ where: { meterId } })).toBeGreaterThan(2000);
    expect(await rollupDrift()).toEqual([]);
    await expectChartsMatchRaw();
  });

  it("follows the portal's reviews (confirm and correct, consumption re-derived around them)", async () => {
    const user = await createUser(prisma, { orgId, role: 'operator' });
    const deps = {
      prisma,
      storage: new DiskStorage(storageDir),
      publish: async () => {},
      requestAdapter: async () => false,
      notifyReviewed: async () => {},
    };
    const session = { id: user.id, orgId, role: user.role, name: user.name, email: user.email, locale: null };
    const waiting = await prisma.reading.findMany({
      where: { meterId, status: 'needs_review', takenAt: { gte: new Date('2026-03-28T00:00:00Z'), lt: NOW } },
      orderBy: { takenAt: 'asc' },
      take: 2,
    });
    expect(waiting).toHaveLength(2);
    await reviewReading(deps, session, waiting[0]!.id, { action: 'confirm' });
    const corrected = await reviewReading(deps, session, waiting[1]!.id, {
      action: 'correct',
      value: '00900.000',
    });
    expect(corrected.status).toBe('corrected');
    const hour = new Date(Math.floor(waiting[1]!.takenAt.getTime() / 3_600_000) * 3_600_000);
    const row = await prisma.readingHourly.findUniqueOrThrow({ where: { meterId_hour: { meterId, hour } } });
    expect(row.counter?.toString()).toBe('900');
    expect(row.corrected).toBeGreaterThanOrEqual(1);
    expect(await rollupDrift()).toEqual([]);
    await expectChartsMatchRaw();
  });

  it('follows updates that move a reading to another hour, status changes and deletes; notify marks change nothing', async () => {
    const [a, b] = await prisma.reading.findMany({
      where: { meterId, takenAt: { gte: new Date('2026-03-29T00:00:00Z') } },
      orderBy: { takenAt: 'asc' },
      take: 2,
    });
    await prisma.reading.update({
      where: { id: a!.id },
      data: { takenAt: new Date('2026-03-29T05:59:59Z') },
    });
    await prisma.reading.updateMany({
      where: {
        meterId,
        takenAt: { gte: new Date('2026-03-29T12:00:00Z'), lt: new Date('2026-03-29T15:00:00Z') },
      },
      data: { status: 'rejected' },
    });
    await prisma.reading.delete({ where: { id: b!.id } });
    // Every reading of one hour gone: its roll-up row goes too.
    const emptied = new Date('2026-03-28T08:00:00Z');
    await prisma.reading.deleteMany({
      where: { meterId, takenAt: { gte: emptied, lt: new Date('2026-03-28T09:00:00Z') } },
    });
    expect(
      await prisma.readingHourly.findUnique({ where: { meterId_hour: { meterId, hour: emptied } } }),
    ).toBeNull();
    const before = await prisma.readingHourly.findMany({ where: { meterId }, orderBy: { hour: 'asc' } });
    await prisma.reading.updateMany({ where: { meterId }, data: { notifiedAt: NOW } });
    expect(await prisma.readingHourly.findMany({ where: { meterId }, orderBy: { hour: 'asc' } })).toEqual(
      before,
    );
    expect(await rollupDrift()).toEqual([]);
    await expectChartsMatchRaw();
  });

  it('stays right when two transactions write the same meter-hour at once', async () => {
    const hour = new Date('2026-03-30T04:00:00Z');
    const write = (n: number, holdMs: number) =>
      prisma.$transaction(
        async (tx) => {
          await tx.capture.create({
            data: {
              id: `race-${n}`,
              meterId,
              sha256: `race${n}`.padStart(64, '0'),
              storageKey: `race/${n}.jpg`,
              contentType: 'image/jpeg',
              bytes: 1,
              source: 'pull',
              takenAt: new Date(hour.getTime() + n * 60_000),
              status: 'recognized',
            },
          });
          await tx.reading.create({
            data: {
              id: `race-${n}`,
              meterId,
              captureId: `race-${n}`,
              value: '1',
              numeric: '1',
              digits: [],
              confidence: 0.9,
              status: 'accepted',
              consumption: '5',
              modelVersion: 'test',
              takenAt: new Date(hour.getTime() + n * 60_000),
            },
          });
          // Holds the transaction open after its trigger ran, so the other one's trigger runs meanwhile.
          await tx.$executeRawUnsafe(`SELECT pg_sleep(${holdMs / 1000})`);
        },
        { timeout: 20_000 },
      );
    await Promise.all([write(1, 1500), write(2, 0), write(3, 300)]);
    expect(await rollupDrift()).toEqual([]);
  });

  it('is read only for zones whole hours from UTC', async () => {
    const from = new Date('2024-03-01T00:00:00Z');
    expect(await zoneHasWholeHourOffsets(prisma, 'Europe/Berlin', from, NOW)).toBe(true);
    expect(await zoneHasWholeHourOffsets(prisma, 'Asia/Kolkata', from, NOW)).toBe(false);
    expect(await zoneHasWholeHourOffsets(prisma, 'Asia/Kathmandu', from, NOW)).toBe(false);
    // From raw rows there: +5:30 days start at 18:30 UTC.
    const days = await getConsumptionHistory(prisma, meterId, 'day', {
      now: NOW,
      timeZone: 'Asia/Kolkata',
      buckets: 3,
    });
    const raw = await findConsumptionBuckets(prisma, meterId, {
      range: 'day',
      end: NOW,
      tz: 'Asia/Kolkata',
      count: 3,
    });
    expect(days.map((d) => [d.start.toISOString(), d.consumption, d.readings])).toEqual(
      raw.map((r) => [new Date(r.bucket).toISOString(), r.consumption, r.readings]),
    );
    expect(days[0]!.start.toISOString()).toBe('2026-03-27T18:30:00.000Z');
  });
});
