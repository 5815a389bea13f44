import type { Prisma } from '@metertwin/db';

/** The organization's meters by name with their group (what a rule targets). */
export function findOrgMeterTargets(
  db: Prisma.TransactionClient,
  orgId: string,
): Promise<{ id: string; name: string; group: string | null }[]> {
  return db.meter.findMany({
    where: { orgId },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, group: true },
  });
}

/**
 * The meters in service named by id, and every meter in service of the organizations in `orgIds`;
 * only `onlyId` when given. An archived meter is silent on purpose: the rule timer leaves it out.
 */
export function findMetersByIdOrOrg(
  db: Prisma.TransactionClient,
  ids: string[],
  orgIds: string[],
  onlyId?: string,
): Promise<{ id: string; orgId: string; group: string | null; timeZone: string }[]> {
  return db.meter.findMany({
    where: { OR: [{ id: { in: ids } }, { orgId: { in: orgIds } }], ...(onlyId ? { id: onlyId } : {}), archivedAt: null },
    select: { id: true, orgId: true, group: true, timeZone: true },
  });
}
