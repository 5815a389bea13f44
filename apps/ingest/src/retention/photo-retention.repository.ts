import type { PrismaClient } from '@metertwin/db';

/** Data access of photo retention: who asked for it, which photos it may delete, and its record. */

export function findOrgsWithRetention(db: PrismaClient): Promise<{ id: string; photoRetentionDays: number }[]> {
  return db.organization.findMany({
    where: { photoRetentionDays: { not: null } },
    select: { id: true, photoRetentionDays: true },
    orderBy: { createdAt: 'asc' },
  }) as Promise<{ id: string; photoRetentionDays: number }[]>;
}

export interface ExpiredPhoto {
  id: string;
  meterId: string;
  storageKey: string;
  bytes: number;
}

/**
 * Photos of the organization taken and received before `before` that retention may delete: at a final
 * state (a photo still in the pipeline is needed), not reviewed by an operator, without training
 * samples, and not the meter's latest photo (its twin shows it). Meter by meter in id order from
 * `fromMeterId` on (the meter the previous batch ended in), each one's oldest first through the partial
 * index of photos still on disk, so a batch stops after `limit` rows instead of judging every expired
 * photo of the organization, and the meters an earlier batch finished are not read again (reading
 * retention's query has the same shape: docs/operations.md).
 */
export function findExpiredPhotos(
  db: PrismaClient,
  orgId: string,
  before: Date,
  limit: number,
  fromMeterId = '',
): Promise<ExpiredPhoto[]> {
  return db.$queryRaw<ExpiredPhoto[]>`
    SELECT x.id, m.id AS "meterId", x."storageKey", x.bytes
    FROM "Meter" m
    CROSS JOIN LATERAL (
      SELECT (SELECT l.id FROM "Capture" l WHERE l."meterId" = m.id ORDER BY l."takenAt" DESC, l."receivedAt" DESC LIMIT 1) AS capture
    ) latest
    CROSS JOIN LATERAL (
      SELECT c.id, c."storageKey", c.bytes, c."takenAt"
      FROM "Capture" c
      LEFT JOIN "Reading" r ON r."captureId" = c.id
      WHERE c."meterId" = m.id
        AND c."takenAt" < ${before} AND c."receivedAt" < ${before}
        AND c."photoDeletedAt" IS NULL
        AND c.status IN ('recognized', 'failed')
        AND c.id <> latest.capture
        AND r."reviewedBy" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "TrainingSample" t WHERE t."captureId" = c.id)
        AND NOT EXISTS (SELECT 1 FROM "TrainingSample" t WHERE t."readingId" = r.id)
      ORDER BY c."takenAt"
      LIMIT ${limit}
    ) x
    WHERE m."orgId" = ${orgId} AND m.id >= ${fromMeterId}
    ORDER BY m.id, x."takenAt"
    LIMIT ${limit}`;
}

export async function markPhotosDeleted(db: PrismaClient, ids: string[], at: Date): Promise<void> {
  await db.capture.updateMany({ where: { id: { in: ids }, photoDeletedAt: null }, data: { photoDeletedAt: at } });
}

export async function recordRetentionRun(
  db: PrismaClient,
  orgId: string,
  figures: { photos: number; bytes: number; olderThanDays: number; before: Date },
): Promise<void> {
  await db.auditLog.create({
    data: {
      orgId,
      actorType: 'system',
      action: 'photos.retention',
      entityType: 'organization',
      entityId: orgId,
      data: { photos: figures.photos, bytesFreed: figures.bytes, olderThanDays: figures.olderThanDays, before: figures.before.toISOString() },
    },
  });
}
