import type { Prisma } from '@metertwin/db';

/** Whether each id names something of the organization: references an input makes are checked with these. */

export async function isOrgUser(
  db: Prisma.TransactionClient,
  orgId: string,
  userId: string,
): Promise<boolean> {
  return (await db.user.count({ where: { id: userId, orgId } })) === 1;
}

export async function isOrgMeter(
  db: Prisma.TransactionClient,
  orgId: string,
  meterId: string,
): Promise<boolean> {
  return (await db.meter.count({ where: { id: meterId, orgId } })) === 1;
}

export async function areOrgActuators(
  db: Prisma.TransactionClient,
  orgId: string,
  actuatorIds: readonly string[],
): Promise<boolean> {
  const ids = [...new Set(actuatorIds)];
  return ids.length === 0 || (await db.actuator.count({ where: { orgId, id: { in: ids } } })) === ids.length;
}
