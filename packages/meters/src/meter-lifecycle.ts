import { z } from 'zod';
import { DomainError, recordAudit, type Actor } from '@metertwin/alarms';
import type { Meter, PrismaClient } from '@metertwin/db';
import type { ImageStorage } from '@metertwin/storage';
import { deleteMeterRow, findMeterImageKeys, findOrgMeterRow, updateMeter } from './meter.repository.js';

/** Archived or back in service. */
export const ArchiveMeterSchema = z.object({ archived: z.boolean() }).strict();

/**
 * Archives the meter (history kept; ingest stops pulling its cameras and refuses their uploads, the
 * rule timer stops checking it) or puts it back in service; audited `meter.archived` / `meter.unarchived`.
 * Archiving an archived meter (or the reverse) is a conflict.
 */
export async function setMeterArchived(prisma: PrismaClient, actor: Actor, meterId: string, archived: boolean, now = new Date()): Promise<Meter> {
  return prisma.$transaction(async (tx) => {
    const meter = await findOrgMeterRow(tx, actor.orgId, meterId);
    if (!meter) throw new DomainError('not-found', 'meter not found', { code: 'meter-not-found' });
    if (archived === (meter.archivedAt !== null)) {
      throw new DomainError('conflict', archived ? 'the meter is already archived' : 'the meter is not archived', {
        code: archived ? 'meter-already-archived' : 'meter-not-archived',
      });
    }
    const updated = await updateMeter(tx, meterId, { archivedAt: archived ? now : null });
    await recordAudit(tx, actor, archived ? 'meter.archived' : 'meter.unarchived', { type: 'meter', id: meterId }, { name: meter.name });
    return updated;
  });
}

/** The typed confirmation: the meter's name, exactly. */
export const DeleteMeterSchema = z.object({ confirmName: z.string() }).strict();

/**
 * Deletes the meter for good: first every photo and training crop of it from the image storage (a
 * failure there leaves the rows, so deleting again finishes the job: a missing key deletes fine), then
 * the meter and everything that hangs on it. The audit row `meter.deleted` stays in the organization's
 * log. `confirmName` must be the meter's name (what the operator typed to confirm).
 */
export async function deleteMeter(
  prisma: PrismaClient,
  storage: ImageStorage,
  actor: Actor,
  meterId: string,
  confirmName: string,
): Promise<{ photosDeleted: number }> {
  const meter = await findOrgMeterRow(prisma, actor.orgId, meterId);
  if (!meter) throw new DomainError('not-found', 'meter not found', { code: 'meter-not-found' });
  if (confirmName.trim() !== meter.name) throw new DomainError('invalid', 'confirmName: type the meter’s name exactly to delete it', {
      code: 'confirm-name-mismatch',
      params: { field: 'confirmName' },
    });
  const keys = await findMeterImageKeys(prisma, meterId);
  for (const key of keys) await storage.delete(key);
  await prisma.$transaction(async (tx) => {
    await deleteMeterRow(tx, meterId);
    await recordAudit(tx, actor, 'meter.deleted', { type: 'meter', id: meterId }, { name: meter.name, photosDeleted: keys.length });
  });
  return { photosDeleted: keys.length };
}
