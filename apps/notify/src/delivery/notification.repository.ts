import type { Alarm, NotificationStatus, Prisma, PrismaClient } from '@metertwin/db';

/** Data access of the notification outbox: one row per alarm event and receiver. */

type Db = Prisma.TransactionClient;

/** First key of the two-key advisory locks held while a notification is being sent. */
const SENDING_LOCK = 7_301;
const MAX_ERROR_LENGTH = 500;

export type PlannedNotification = Prisma.NotificationCreateManyInput & { id: string; status: NotificationStatus };

/** The receiver's rows of an alarm that were or will be sent (not folded, not failed). */
export interface ReceiverRow {
  channel: string;
  userId: string | null;
  target: string;
  eventId: string;
  status: NotificationStatus;
  notBefore: Date | null;
  createdAt: Date;
}

/** A row about to be sent, with what its message needs. */
export type NotificationToSend = Prisma.NotificationGetPayload<{
  include: { alarm: { include: { meter: { select: { name: true } }; org: { select: { defaultLocale: true } } } }; user: { select: { locale: true; org: { select: { defaultLocale: true } } } } };
}>;

export function findPlannedForEvent(db: Db, eventId: string): Promise<{ id: string; status: NotificationStatus }[]> {
  return db.notification.findMany({ where: { eventId }, select: { id: true, status: true } });
}

/** Inserts the planned rows; a row planned before (same id) is left as it is. */
export async function insertPlanned(db: Db, rows: PlannedNotification[]): Promise<void> {
  await db.notification.createMany({ data: rows, skipDuplicates: true });
}

export function findLiveRowsOfAlarm(db: Db, alarmId: string): Promise<ReceiverRow[]> {
  return db.notification.findMany({
    where: { alarmId, status: { in: ['pending', 'sent', 'held'] } },
    select: { channel: true, userId: true, target: true, eventId: true, status: true, notBefore: true, createdAt: true },
  });
}

/** Takes the row's sending lock for the transaction `db` runs in; false when another worker holds it. */
async function lockForSending(db: Db, id: string): Promise<boolean> {
  const [lock] = await db.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SENDING_LOCK}::int, hashtext(${id})) AS locked`;
  return Boolean(lock?.locked);
}

/**
 * Runs `send` in one transaction holding the row's sending lock until it ends, so two workers never
 * send a row at once; null, without running it, when another worker holds the lock. The provider's
 * answer is awaited inside the transaction, which may therefore last `timeoutMs`.
 */
export function whileSending<T>(db: PrismaClient, id: string, timeoutMs: number, send: (tx: Db) => Promise<T>): Promise<T | null> {
  return db.$transaction(async (tx) => ((await lockForSending(tx, id)) ? send(tx) : null), { maxWait: 10_000, timeout: timeoutMs });
}

export function findToSend(db: Db, id: string): Promise<NotificationToSend | null> {
  return db.notification.findUnique({
    where: { id },
    include: { alarm: { include: { meter: { select: { name: true } }, org: { select: { defaultLocale: true } } } }, user: { select: { locale: true, org: { select: { defaultLocale: true } } } } },
  });
}

/** Repeats folded into a digest row: the receiver's digested rows of the alarm since the digest was planned. */
export function countFoldedRepeats(db: Db, row: { alarmId: string; channel: string; userId: string | null; target: string; createdAt: Date }): Promise<number> {
  return db.notification.count({
    where: { alarmId: row.alarmId, channel: row.channel, userId: row.userId, target: row.target, status: 'digested', createdAt: { gte: row.createdAt } },
  });
}

export async function markSent(db: Db, id: string): Promise<void> {
  await db.notification.update({ where: { id }, data: { status: 'sent', sentAt: new Date(), lastError: null, attempts: { increment: 1 } } });
}

/** The receiver no longer exists (device unregistered, channel removed): the row fails for good. */
export async function markReceiverGone(db: Db, id: string, reason: string): Promise<void> {
  await db.notification.update({ where: { id }, data: { status: 'failed', lastError: reason, attempts: { increment: 1 } } });
}

/** Counts a failed attempt of a pending row; `final` fails it for good. */
export async function recordFailedAttempt(db: Db, id: string, error: string, final: boolean): Promise<void> {
  await db.notification.updateMany({
    where: { id, status: 'pending' },
    data: { status: final ? 'failed' : 'pending', lastError: error.slice(0, MAX_ERROR_LENGTH), attempts: { increment: 1 } },
  });
}

/** Fails a row that is still pending (the reconciler gave up on it). */
export async function failIfPending(db: Db, id: string, reason: string): Promise<void> {
  await db.notification.updateMany({ where: { id, status: 'pending' }, data: { status: 'failed', lastError: reason.slice(0, MAX_ERROR_LENGTH) } });
}

/** Makes held rows whose time has come pending, at most `limit`, and returns them. */
export function releaseDue(db: PrismaClient, limit: number, now = new Date()): Promise<{ id: string }[]> {
  return db.notification.updateManyAndReturn({
    where: { status: 'held', notBefore: { lte: now } },
    data: { status: 'pending' },
    select: { id: true },
    limit,
  });
}

export function findPending(db: Db, limit: number): Promise<{ id: string }[]> {
  return db.notification.findMany({ where: { status: 'pending' }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: limit });
}

/** Pending rows planned (or released) before `cutoff`, oldest first, after the row `after`. */
export function findStranded(db: Db, cutoff: Date, take: number, after?: string): Promise<{ id: string; alarm: Pick<Alarm, 'meterId'> }[]> {
  return db.notification.findMany({
    where: { status: 'pending', createdAt: { lt: cutoff } },
    select: { id: true, alarm: { select: { meterId: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
}
