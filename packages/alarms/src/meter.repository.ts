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
