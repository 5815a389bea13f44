import { Prisma, type PrismaClient, type Reading } from '@metertwin/db';
import { findAnchorInForce, findNextAnchor } from '@metertwin/meters';
import type { ReadingHistory } from '@metertwin/readings';

/** Data access of captures and readings for recognize: the capture to read, the meter's history, the stored reading. */

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0] | PrismaClient;

export function findCaptureToRecognize(db: Tx, id: string) {
  return db.capture.findUnique({ where: { id }, include: { meter: true, reading: true } });
}

export async function markCaptureRecognized(db: Tx, id: string): Promise<void> {
  await db.capture.update({ where: { id }, data: { status: 'recognized', error: null } });
}

/**
 * Holds the meter's reading lock until the transaction `tx` ends, on every replica (one-key form:
 * notify's rule lock uses the two-key form and never collides with it).
 */
async function lockMeterReadings(tx: Tx, meterId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${meterId}))`;
}

/** Longest a reading may wait for the meter's lock and hold it (another replica evaluating the same meter). */
const HISTORY_TX = { maxWait: 10_000, timeout: 30_000 };

/**
 * Runs `work` in one transaction holding the meter's reading lock until it ends: one meter's readings
 * are judged one at a time, on every replica, and each sees the one stored before it.
 */
export function withMeterReadingsLocked<T>(db: PrismaClient, meterId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await lockMeterReadings(tx, meterId);
    return work(tx);
  }, HISTORY_TX);
}

export function findReadingOfCapture(db: Tx, captureId: string): Promise<Reading | null> {
  return db.reading.findUnique({ where: { captureId } });
}

export function insertReading(tx: Tx, data: Prisma.ReadingUncheckedCreateInput): Promise<Reading> {
  return tx.reading.create({ data });
}

/** The meter's earliest trusted reading taken after `takenAt`. */
export function findNextTrusted(tx: Tx, meterId: string, takenAt: Date) {
  return tx.reading.findFirst({
    where: { meterId, status: { in: ['accepted', 'corrected'] }, numeric: { not: null }, takenAt: { gt: takenAt } },
    orderBy: [{ takenAt: 'asc' }, { createdAt: 'asc' }],
    select: { id: true, numeric: true, takenAt: true, reanchored: true },
  });
}

/** Replaces the reading's interval figures (counted from another previous reading). */
export async function updateInterval(
  tx: Tx,
  id: string,
  interval: { consumption: Prisma.Decimal; flowPerHour: number | null; energy: Prisma.Decimal | null },
): Promise<void> {
  await tx.reading.update({ where: { id }, data: interval });
}

/**
 * The reading's neighbours in time, whatever order the photos were processed in: the meter's latest
 * accepted or corrected reading taken up to `takenAt`, the readings rejected after it up to `takenAt`
 * (oldest first), and the earliest accepted or corrected reading taken after `takenAt` (stored first by
 * another job or replica). needs_review readings are none of these: nobody vouched for them yet.
 * An operator's anchor ("the meter reads X from then", packages/meters) starts a new stretch of
 * history: no neighbour is looked for across one, and the anchor in force is the previous value when
 * no reading was taken since it.
 */
export async function loadHistory(tx: Tx, meterId: string, takenAt: Date): Promise<ReadingHistory> {
  const [anchor, nextAnchor] = await Promise.all([findAnchorInForce(tx, meterId, takenAt), findNextAnchor(tx, meterId, takenAt)]);
  const trusted: Prisma.ReadingWhereInput = { meterId, status: { in: ['accepted', 'corrected'] }, numeric: { not: null } };
  const select = { numeric: true, takenAt: true } as const;
  const [previousReading, next] = await Promise.all([
    tx.reading.findFirst({
      where: { ...trusted, takenAt: { lte: takenAt, ...(anchor ? { gte: anchor.setAt } : {}) } },
      orderBy: [{ takenAt: 'desc' }, { createdAt: 'desc' }],
      select,
    }),
    tx.reading.findFirst({
      where: { ...trusted, takenAt: { gt: takenAt, ...(nextAnchor ? { lt: nextAnchor.setAt } : {}) } },
      orderBy: [{ takenAt: 'asc' }, { createdAt: 'asc' }],
      select,
    }),
  ]);
  const previous = previousReading ?? (anchor ? { numeric: anchor.value, takenAt: anchor.setAt } : null);
  const rejected = previous
    ? await tx.reading.findMany({
        where: {
          meterId,
          status: 'rejected',
          numeric: { not: null },
          takenAt: { gt: previous.takenAt, lte: takenAt },
        },
        orderBy: [{ takenAt: 'asc' }, { createdAt: 'asc' }],
        select,
      })
    : [];
  const timed = (r: { numeric: Prisma.Decimal | null; takenAt: Date }) => ({
    numeric: Number(r.numeric),
    takenAt: r.takenAt,
  });
  return { previous: previous ? timed(previous) : null, rejected: rejected.map(timed), next: next ? timed(next) : null };
}
