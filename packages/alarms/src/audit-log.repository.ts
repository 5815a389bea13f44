import type { Prisma } from '@metertwin/db';
import type { Actor } from './actor.js';

/** Appends an audit row; pass the transaction of the change so the row and the change commit together. */
export async function recordAudit(
  db: Prisma.TransactionClient,
  actor: Actor,
  action: string,
  entity: { type: string; id: string },
  data: Prisma.InputJsonValue,
): Promise<void> {
  await db.auditLog.create({
    data: {
      orgId: actor.orgId,
      actorType: actor.type,
      actorId: actor.id,
      action,
      entityType: entity.type,
      entityId: entity.id,
      data,
    },
  });
}
