import type { Meter, Organization, Prisma, Reading, ReadingStatus } from '@metertwin/db';

/** Data access of stored readings for notify: the reading to evaluate, its meter's window, its progress. */

type Db = Prisma.TransactionClient;

export type ReadingToNotify = Reading & { meter: Meter & { org: Organization } };

export interface WindowReading {
  id: string;
  numeric: number | null;
  status: ReadingStatus;
  takenAt: Date;
}

export function findReadingToNotify(db: Db, id: string): Promise<ReadingToNotify | null> {
  return db.reading.findUnique({ where: { id }, include: { meter: { include: { org: true } } } });
}

/** Whether `readingId` is the meter's latest accepted reading by time taken. */
export async function isLatestAccepted(db: Db, meterId: string, readingId: string): Promise<boolean> {
  const latest = await db.reading.findFirst({ where: { meterId, status: 'accepted' }, orderBy: { takenAt: 'desc' }, select: { id: true } });
  return latest?.id === readingId;
}

/** Notify is done with the reading: from now on the reconciler leaves it alone. */
export async function markNotified(db: Db, id: string): Promise<void> {
  await db.reading.updateMany({ where: { id, notifiedAt: null }, data: { notifiedAt: new Date() } });
}

/** The meter's readings taken in [until − windowMs, until], ascending, without `exceptId`. */
export async function findReadingWindow(db: Db, meterId: string, until: Date, windowMs: number, exceptId?: string): Promise<WindowReading[]> {
  const rows = await db.reading.findMany({
    where: { meterId, takenAt: { gte: new Date(until.getTime() - windowMs), lte: until }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true, numeric: true, status: true, takenAt: true },
    orderBy: { takenAt: 'asc' },
  });
  return rows.map((r) => ({ ...r, numeric: r.numeric === null ? null : r.numeric.toNumber() }));
}

/** Readings stored before `cutoff` that notify has not finished with, oldest first, after `after`. */
export function findUnnotifiedReadings(db: Db, cutoff: Date, take: number, after?: string): Promise<Pick<Reading, 'id' | 'meterId' | 'captureId' | 'reviewedAt'>[]> {
  return db.reading.findMany({
    where: { notifiedAt: null, createdAt: { lt: cutoff } },
    select: { id: true, meterId: true, captureId: true, reviewedAt: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
}
