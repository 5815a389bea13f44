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
  storageKey: string;
  bytes: number;
}

/**
 * Photos of the organization taken and received before `before` that retention may delete: at a final
 * state (a photo still in the pipeline is needed), not reviewed by an operator, without training
 * samples, and not the meter's latest photo (its twin shows it). Oldest first.
 */
export function findExpiredPhotos(db: PrismaClient, orgId: string, before: Date, limit: number): Promise<ExpiredPhoto[]> {
  return db.$queryRaw<ExpiredPhoto[]>`
    SELECT c.id, c."storageKey", c.bytes
    FROM "Capture" c
    JOIN "Meter" m ON m.id = c."meterId"
    LEFT JOIN "Reading" r ON r."captureId" = c.id
    WHERE m."orgId" = ${orgId}
      AND c."takenAt" < ${before} AND c."receivedAt" < ${before}
      AND c."photoDeletedAt" IS NULL
      AND c.status IN ('recognized', 'failed')
      AND r."reviewedBy" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "TrainingSample" t WHERE t."captureId" = c.id OR (r.id IS NOT NULL AND t."readingId" = r.id))
      AND c.id <> (SELECT l.id FROM "Capture" l WHERE l."meterId" = c."meterId" ORDER BY l."takenAt" DESC, l."receivedAt" DESC LIMIT 1)
    ORDER BY c."takenAt"
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
