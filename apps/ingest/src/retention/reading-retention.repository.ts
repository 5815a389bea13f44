import type { PrismaClient } from '@metertwin/db';

/** Data access of reading retention: who asked for it, which captures (with their readings) go, and its record. */

export function findOrgsWithReadingRetention(
  db: PrismaClient,
): Promise<{ id: string; readingRetentionDays: number }[]> {
  return db.organization.findMany({
    where: { readingRetentionDays: { not: null } },
    select: { id: true, readingRetentionDays: true },
    orderBy: { createdAt: 'asc' },
  }) as Promise<{ id: string; readingRetentionDays: number }[]>;
}

export interface ExpiredCapture {
  id: string;
  meterId: string;
  /** The photo file, unless photo retention already deleted it. */
  storageKey: string | null;
  hasReading: boolean;
}

/**
 * Captures of the organization taken and received before `before`, with their readings, that retention
 * may delete: at a final state, without training samples, neither the meter's latest capture (its twin
 * shows it) nor the capture of its latest accepted or corrected reading (the next reading's consumption is
 * derived from it). Meter by meter in id order from `fromMeterId` on (the meter the previous batch ended
 * in), each one's oldest first through its (meterId, takenAt) index, so a batch stops after `limit` rows
 * instead of judging every expired capture of the organization (at 7.2 M expired captures an
 * organization-wide oldest-first query took 98 s per batch, this one 45 ms: docs/operations.md), and the
 * meters an earlier batch finished are not read again (as photo retention's query).
 */
export function findExpiredCaptures(
  db: PrismaClient,
  orgId: string,
  before: Date,
  limit: number,
  fromMeterId = '',
): Promise<ExpiredCapture[]> {
  return db.$queryRaw<ExpiredCapture[]>`
    SELECT x.id, m.id AS "meterId", x."storageKey", x."hasReading"
    FROM "Meter" m
    CROSS JOIN LATERAL (
      SELECT (SELECT l.id FROM "Capture" l WHERE l."meterId" = m.id ORDER BY l."takenAt" DESC, l."receivedAt" DESC LIMIT 1) AS capture,
             (SELECT g."captureId" FROM "Reading" g
              WHERE g."meterId" = m.id AND g.status IN ('accepted', 'corrected')
              ORDER BY g."takenAt" DESC LIMIT 1) AS good_capture
    ) latest
    CROSS JOIN LATERAL (
      SELECT c.id, c."takenAt", CASE WHEN c."photoDeletedAt" IS NULL THEN c."storageKey" END AS "storageKey", r.id IS NOT NULL AS "hasReading"
      FROM "Capture" c
      LEFT JOIN "Reading" r ON r."captureId" = c.id
      WHERE c."meterId" = m.id
        AND c."takenAt" < ${before} AND c."receivedAt" < ${before}
        AND c.status IN ('recognized', 'failed')
        AND c.id <> latest.capture AND c.id IS DISTINCT FROM latest.good_capture
        AND NOT EXISTS (SELECT 1 FROM "TrainingSample" t WHERE t."captureId" = c.id)
        AND NOT EXISTS (SELECT 1 FROM "TrainingSample" t WHERE t."readingId" = r.id)
      ORDER BY c."takenAt"
      LIMIT ${limit}
    ) x
    WHERE m."orgId" = ${orgId} AND m.id >= ${fromMeterId}
    ORDER BY m.id, x."takenAt"
    LIMIT ${limit}`;
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
