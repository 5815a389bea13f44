import { Prisma, type PrismaClient } from '@metertwin/db';
import { expiredCapturesQuery } from './retention.repository.js';

/** Data access of photo retention: which photos it may delete, and its record. */

export interface ExpiredPhoto {
  id: string;
  meterId: string;
  storageKey: string;
  bytes: number;
}

/**
 * Photos still on disk that photo retention may delete (see expiredCapturesQuery), through the partial
 * index of photos still on disk; none reviewed by an operator.
 */
export function findExpiredPhotos(
  db: PrismaClient,
  orgId: string,
  before: Date,
  limit: number,
  fromMeterId = '',
): Promise<ExpiredPhoto[]> {
  const query = expiredCapturesQuery(
    { orgId, before, limit, fromMeterId },
    {
      columns: { storageKey: 'c."storageKey"', bytes: 'c.bytes' },
      where: Prisma.sql`c."photoDeletedAt" IS NULL AND r."reviewedBy" IS NULL`,
    },
  );
  return db.$queryRaw<ExpiredPhoto[]>(query);
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
