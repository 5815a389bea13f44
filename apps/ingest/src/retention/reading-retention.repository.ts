import { Prisma, type PrismaClient } from '@metertwin/db';
import { expiredCapturesQuery } from './retention.repository.js';

/** Data access of reading retention: which captures (with their readings) go, and its record. */

export interface ExpiredCapture {
  id: string;
  meterId: string;
  /** The photo file, unless photo retention already deleted it. */
  storageKey: string | null;
  hasReading: boolean;
}

/**
 * Captures with their readings that reading retention may delete (see expiredCapturesQuery), their
 * photos already deleted or not; neither is the capture of the meter's latest accepted or corrected
 * reading (the next reading's consumption is derived from it).
 */
export function findExpiredCaptures(
  db: PrismaClient,
  orgId: string,
  before: Date,
  limit: number,
  fromMeterId = '',
): Promise<ExpiredCapture[]> {
  const query = expiredCapturesQuery(
    { orgId, before, limit, fromMeterId },
    {
      columns: {
        storageKey: 'CASE WHEN c."photoDeletedAt" IS NULL THEN c."storageKey" END',
        hasReading: 'r.id IS NOT NULL',
      },
      latest: Prisma.sql`,
             (SELECT g."captureId" FROM "Reading" g
              WHERE g."meterId" = m.id AND g.status IN ('accepted', 'corrected')
              ORDER BY g."takenAt" DESC LIMIT 1) AS good_capture`,
      where: Prisma.sql`c.id IS DISTINCT FROM latest.good_capture`,
    },
  );
  return db.$queryRaw<ExpiredCapture[]>(query);
}

/**
 * Deletes the captures and, by cascade, their readings, keeping the hourly roll-ups: the transaction sets
 * metertwin.keep_rollups, which the roll-up trigger on Reading honours, and the roll-up rows of those
 * hours forget the deleted captures (the chart point then has no photo).
 */
export async function deleteCapturesKeepingRollups(db: PrismaClient, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.$transaction([
    db.$executeRaw`SELECT set_config('metertwin.keep_rollups', 'on', true)`,
    db.$executeRaw`
      UPDATE "ReadingHourly" h
      SET "counterCaptureId" = CASE WHEN h."counterCaptureId" = ANY(${ids}) THEN NULL ELSE h."counterCaptureId" END,
          "lastCaptureId" = CASE WHEN h."lastCaptureId" = ANY(${ids}) THEN NULL ELSE h."lastCaptureId" END
      FROM (SELECT DISTINCT "meterId", date_trunc('hour', "takenAt") AS hour FROM "Reading" WHERE "captureId" = ANY(${ids})) k
      WHERE h."meterId" = k."meterId" AND h.hour = k.hour`,
    db.capture.deleteMany({ where: { id: { in: ids } } }),
  ]);
}

export async function recordReadingRetentionRun(
  db: PrismaClient,
  orgId: string,
  figures: { readings: number; captures: number; olderThanDays: number; before: Date },
): Promise<void> {
  await db.auditLog.create({
    data: {
      orgId,
      actorType: 'system',
      action: 'readings.retention',
      entityType: 'organization',
      entityId: orgId,
      data: {
        readings: figures.readings,
        captures: figures.captures,
        olderThanDays: figures.olderThanDays,
        before: figures.before.toISOString(),
      },
    },
  });
}
