import { recordAudit, type Actor } from '@metertwin/alarms';
import { Prisma, type PrismaClient } from '@metertwin/db';
import type { HistoryRange } from './history';
import { insertTrainingSamples } from './training-sample.repository';

/** Data access of readings as the portal's pages, exports and reviews use them. */

/** The meter's newest readings (newest first) with the digits, model and the capture each was read from. */
export function findLatestReadings(db: PrismaClient, meterId: string, take: number) {
  return db.reading.findMany({
    where: { meterId },
    orderBy: [{ takenAt: 'desc' }, { createdAt: 'desc' }],
    take,
    select: {
      id: true,
      captureId: true,
      value: true,
      status: true,
      reason: true,
      confidence: true,
      takenAt: true,
      digits: true,
      modelVersion: true,
      capture: { select: { id: true, width: true, height: true, takenAt: true, crops: true } },
    },
  });
}

/** Up to `take` of the meter's readings in [from, to), oldest first, after the reading `cursor` (keyset paging). */
export function findReadingsBatch(
  db: PrismaClient,
  meterId: string,
  window: { from?: Date; to?: Date },
  take: number,
  cursor: string | undefined,
) {
  return db.reading.findMany({
    where: { meterId, takenAt: { gte: window.from, lt: window.to } },
    orderBy: [{ takenAt: 'asc' }, { id: 'asc' }],
    take,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true,
      takenAt: true,
      value: true,
      numeric: true,
      status: true,
      confidence: true,
      consumption: true,
      flowPerHour: true,
      reason: true,
    },
  });
}

export interface BucketRow {
  bucket: string;
  bucket_end: string;
  consumption: number;
  energy: number;
  counter: number | null;
  capture_id: string | null;
  taken_at: string | null;
  readings: number;
}

type BucketWindow = { range: HistoryRange; end: Date; tz: string; count: number };

/**
 * A bucket query: every one of the last `count` buckets (hour, day or month in zone `tz`) up to the one
 * holding `end`, oldest first, left-joined to the rows of CTE `r` (which `rows` defines, each with its
 * local `bucket`) and summed by `sums`. Buckets are local times; their bounds are given as UTC instants.
 */
function bucketQuery(window: BucketWindow, rows: Prisma.Sql, sums: Prisma.Sql): Prisma.Sql {
  const { range, tz, count } = window;
  const end = window.end.toISOString();
  const step = `1 ${range}`;
  return Prisma.sql`
    WITH last AS (
      SELECT date_trunc(${range}, ${end}::timestamptz AT TIME ZONE ${tz}) AS bucket
    ),
    buckets AS (
      SELECT generate_series(last.bucket - (${count - 1}::int * ${step}::interval), last.bucket, ${step}::interval) AS bucket
      FROM last
    ),
    ${rows}
    SELECT to_char((b.bucket AT TIME ZONE ${tz}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket,
           to_char(((b.bucket + ${step}::interval) AT TIME ZONE ${tz}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket_end,
           ${sums}
    FROM buckets b
    LEFT JOIN r ON r.bucket = b.bucket
    GROUP BY b.bucket
    ORDER BY b.bucket`;
}

/**
 * The buckets of `window` (see bucketQuery) with the accepted and corrected readings' sums and last
 * counter value, from the raw readings. takenAt is a UTC timestamp without zone: `AT TIME ZONE 'UTC'`
 * makes it an instant, `AT TIME ZONE tz` local time. The chart reads findConsumptionBucketsFromRollup
 * instead wherever it can.
 */
export function findConsumptionBuckets(db: PrismaClient, meterId: string, window: BucketWindow): Promise<BucketRow[]> {
  const { range, tz } = window;
  const end = window.end.toISOString();
  const rows = Prisma.sql`
    r AS (
      SELECT date_trunc(${range}, ("takenAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}) AS bucket,
             "takenAt", "captureId", "numeric", "consumption", "energy",
             status IN ('accepted', 'corrected') AS good
      FROM "Reading"
      WHERE "meterId" = ${meterId}
        AND "takenAt" >= ((SELECT min(bucket) FROM buckets) AT TIME ZONE ${tz}) AT TIME ZONE 'UTC'
        AND "takenAt" <= ${end}::timestamptz AT TIME ZONE 'UTC'
    )`;
  const sums = Prisma.sql`
           COALESCE(SUM(r.consumption) FILTER (WHERE r.good), 0)::float8 AS consumption,
           COALESCE(SUM(r.energy) FILTER (WHERE r.good), 0)::float8 AS energy,
           ((array_agg(r.numeric ORDER BY r."takenAt" DESC) FILTER (WHERE r.good AND r.numeric IS NOT NULL))[1])::float8 AS counter,
           COALESCE(
             (array_agg(r."captureId" ORDER BY r."takenAt" DESC) FILTER (WHERE r.good AND r.numeric IS NOT NULL))[1],
             (array_agg(r."captureId" ORDER BY r."takenAt" DESC) FILTER (WHERE r."captureId" IS NOT NULL))[1]
           ) AS capture_id,
           to_char(COALESCE(
             (array_agg(r."takenAt" ORDER BY r."takenAt" DESC) FILTER (WHERE r.good AND r.numeric IS NOT NULL))[1],
             MAX(r."takenAt")
           ), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS taken_at,
           COUNT(r."takenAt")::int AS readings`;
  return db.$queryRaw<BucketRow[]>(bucketQuery(window, rows, sums));
}

/**
 * The same buckets as findConsumptionBuckets, from the hourly roll-up (ReadingHourly): its whole UTC
 * hours before the hour holding `end`, and that last hour's readings up to `end` rolled up from the raw
 * rows. Only right for zones whose offset from UTC is whole hours throughout the buckets (each UTC hour
 * then lies in one local hour, day and month): see zoneHasWholeHourOffsets.
 */
export function findConsumptionBucketsFromRollup(
  db: PrismaClient,
  meterId: string,
  window: BucketWindow,
): Promise<BucketRow[]> {
  const { range, tz } = window;
  const end = window.end.toISOString();
  const rows = Prisma.sql`
    span AS (
      SELECT ((SELECT min(bucket) FROM buckets) AT TIME ZONE ${tz}) AT TIME ZONE 'UTC' AS first_hour,
             date_trunc('hour', ${end}::timestamptz AT TIME ZONE 'UTC') AS end_hour,
             ${end}::timestamptz AT TIME ZONE 'UTC' AS end_at
    ),
    h AS (
      SELECT ru.hour, ru.readings, ru.consumption, ru.energy, ru.counter, ru."counterCaptureId",
             ru."counterTakenAt", ru."lastCaptureId", ru."lastTakenAt"
      FROM "ReadingHourly" ru, span
      WHERE ru."meterId" = ${meterId} AND ru.hour >= span.first_hour AND ru.hour < span.end_hour
      UNION ALL
      SELECT c.hour, c.readings, c.consumption, c.energy, c.counter, c."counterCaptureId",
             c."counterTakenAt", c."lastCaptureId", c."lastTakenAt"
      FROM span, reading_hourly_compute(${meterId}, GREATEST(span.end_hour, span.first_hour)::timestamp(3),
                                        (span.end_at + interval '1 millisecond')::timestamp(3)) c
    ),
    r AS (
      SELECT date_trunc(${range}, (h.hour AT TIME ZONE 'UTC') AT TIME ZONE ${tz}) AS bucket, h.*
      FROM h
    )`;
  const sums = Prisma.sql`
           COALESCE(SUM(r.consumption), 0)::float8 AS consumption,
           COALESCE(SUM(r.energy), 0)::float8 AS energy,
           ((array_agg(r.counter ORDER BY r."counterTakenAt" DESC) FILTER (WHERE r.counter IS NOT NULL))[1])::float8 AS counter,
           COALESCE(
             (array_agg(r."counterCaptureId" ORDER BY r."counterTakenAt" DESC) FILTER (WHERE r.counter IS NOT NULL))[1],
             (array_agg(r."lastCaptureId" ORDER BY r."lastTakenAt" DESC) FILTER (WHERE r.hour IS NOT NULL))[1]
           ) AS capture_id,
           to_char(COALESCE(MAX(r."counterTakenAt"), MAX(r."lastTakenAt")), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS taken_at,
           COALESCE(SUM(r.readings), 0)::int AS readings`;
  return db.$queryRaw<BucketRow[]>(bucketQuery(window, rows, sums));
}

/**
 * Whether zone `tz` is a whole number of hours from UTC at every hour of [from, to] (checked daily: no
 * zone changes to or from a fractional offset for less than a day), so hourly roll-ups bucket exactly.
 * The UTC hours are truncated in UTC, whatever the session's TimeZone.
 * False for e.g. Asia/Kolkata (+5:30) and Asia/Kathmandu (+5:45).
 */
export async function zoneHasWholeHourOffsets(db: PrismaClient, tz: string, from: Date, to: Date): Promise<boolean> {
  const [row] = await db.$queryRaw<{ whole: boolean }[]>`
    SELECT bool_and(date_trunc('hour', t AT TIME ZONE ${tz}) = t AT TIME ZONE ${tz}) AS whole
    FROM (
      SELECT generate_series(date_trunc('hour', ${from.toISOString()}::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                             ${to.toISOString()}::timestamptz, interval '1 day') AS t
      UNION ALL SELECT date_trunc('hour', ${to.toISOString()}::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    ) s`;
  return row?.whole ?? true;
}

/** The readings waiting for a person of the organization, oldest first, with their meter and capture. */
export function findReviewQueue(db: PrismaClient, orgId: string, statuses: readonly ('needs_review' | 'rejected')[], take: number) {
  const where = { status: { in: [...statuses] }, meter: { orgId } };
  return Promise.all([
    db.reading.findMany({
      where,
      orderBy: { takenAt: 'asc' },
      take,
      include: {
        meter: {
          select: { id: true, name: true, location: true, unit: true, digits: true, decimals: true, layout: true },
        },
        capture: { select: { id: true, width: true, height: true, crops: true } },
      },
    }),
    db.reading.count({ where }),
  ]);
}

/** The organization's reading with its meter and capture, for a review. */
export function findOrgReadingForReview(db: PrismaClient, orgId: string, readingId: string) {
  return db.reading.findFirst({
    where: { id: readingId, meter: { orgId } },
    include: { meter: true, capture: true },
  });
}

const GOOD = { in: ['accepted' as const, 'corrected' as const] };

/** The meter's accepted or corrected reading just before or just after `takenAt`, of those matching `where`. */
export function findGoodNeighbour<S extends Prisma.ReadingSelect>(
  db: Prisma.TransactionClient,
  meterId: string,
  side: 'before' | 'after',
  takenAt: Date,
  select: S,
  where: Prisma.ReadingWhereInput = {},
) {
  return db.reading.findFirst({
    where: {
      ...where,
      meterId,
      status: GOOD,
      takenAt: side === 'before' ? { lt: takenAt } : { gt: takenAt },
    },
    orderBy: { takenAt: side === 'before' ? 'desc' : 'asc' },
    select,
  });
}

/** Up to `take` unreviewed readings of the meter strictly between two instants, oldest first, with their capture. */
export function findUnreviewedBetween(db: PrismaClient, meterId: string, from: Date, to: Date, take: number) {
  return db.reading.findMany({
    where: { meterId, reviewedBy: null, takenAt: { gt: from, lt: to } },
    orderBy: { takenAt: 'asc' },
    take,
    select: { id: true, captureId: true, capture: { select: { storageKey: true, crops: true } } },
  });
}

type Trusted = { numeric: number; takenAt: Date };

export interface ReviewToStore {
  reading: { id: string; meterId: string; takenAt: Date };
  /** The statuses the reading must still have: a reading reviewed meanwhile is not overwritten. */
  waiting: readonly ('needs_review' | 'rejected')[];
  /** The reviewed value as a number, and the reading's other new columns (its consumption is measured here). */
  numeric: number;
  review: Omit<Prisma.ReadingUpdateManyMutationInput, 'consumption' | 'flowPerHour'>;
  /** Consumption and flow from one trusted value to the next (the meter's counter shape). */
  measure: (from: Trusted, to: Trusted) => { consumption: number; flowPerHour: number | null };
  audit: { actor: Actor; action: string; data: Prisma.InputJsonValue };
  samples: Prisma.TrainingSampleCreateManyInput[];
}

/**
 * Stores a review in one transaction: the reading's outcome with its consumption since the previous
 * accepted or corrected reading, the next such reading measured from this one, the audit row and the
 * training samples. Null, with nothing written, when someone else reviewed the reading first; else how
 * many samples were new.
 */
export function storeReview(db: PrismaClient, input: ReviewToStore): Promise<number | null> {
  const { reading, numeric, measure } = input;
  return db.$transaction(async (tx) => {
    const previous = await findGoodNeighbour(tx, reading.meterId, 'before', reading.takenAt, { numeric: true, takenAt: true });
    const usage = previous?.numeric != null ? measure({ numeric: Number(previous.numeric), takenAt: previous.takenAt }, { numeric, takenAt: reading.takenAt }) : null;
    const saved = await saveReview(tx, reading.id, input.waiting, {
      ...input.review,
      consumption: usage ? new Prisma.Decimal(usage.consumption.toFixed(6)) : null,
      flowPerHour: usage?.flowPerHour ?? null,
    });
    if (!saved) return null;
    // The next trusted reading's consumption was measured from an older value: measure it from this one.
    const next = await findGoodNeighbour(tx, reading.meterId, 'after', reading.takenAt, { id: true, numeric: true, takenAt: true });
    if (next?.numeric != null) {
      const after = measure({ numeric, takenAt: reading.takenAt }, { numeric: Number(next.numeric), takenAt: next.takenAt });
      await updateReadingConsumption(tx, next.id, {
        consumption: new Prisma.Decimal(after.consumption.toFixed(6)),
        flowPerHour: after.flowPerHour,
      });
    }
    await recordAudit(tx, input.audit.actor, input.audit.action, { type: 'reading', id: reading.id }, input.audit.data);
    return insertTrainingSamples(tx, input.samples);
  });
}

/** Stores a review's outcome while the reading still waits for one; false when someone else reviewed it first. */
async function saveReview(
  db: Prisma.TransactionClient,
  readingId: string,
  waiting: readonly ('needs_review' | 'rejected')[],
  review: Prisma.ReadingUpdateManyMutationInput,
): Promise<boolean> {
  return (await db.reading.updateMany({ where: { id: readingId, status: { in: [...waiting] } }, data: review })).count > 0;
}

async function updateReadingConsumption(
  db: Prisma.TransactionClient,
  readingId: string,
  usage: { consumption: Prisma.Decimal; flowPerHour: number | null },
): Promise<void> {
  await db.reading.update({ where: { id: readingId }, data: usage });
}
