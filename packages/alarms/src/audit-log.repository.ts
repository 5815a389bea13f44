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

/** Which audit rows an admin looks at; every filter optional. */
export interface AuditFilter {
  actorId?: string;
  action?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** One page of the organization's audit log, newest first, and whether there is a next page. */
export async function findAuditEntries(
  db: Prisma.TransactionClient,
  orgId: string,
  filter: AuditFilter,
  page: { offset: number; limit: number },
) {
  const rows = await db.auditLog.findMany({
    where: {
      orgId,
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.from || filter.to ? { at: { gte: filter.from, lt: filter.to } } : {}),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    skip: page.offset,
    take: page.limit + 1,
  });
  return { entries: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/** The actions the organization's log holds, for the filter's choices. */
export async function findAuditActions(db: Prisma.TransactionClient, orgId: string): Promise<string[]> {
  const rows = await db.auditLog.findMany({
    where: { orgId },
    distinct: ['action'],
    select: { action: true },
    orderBy: { action: 'asc' },
  });
  return rows.map((r) => r.action);
}
