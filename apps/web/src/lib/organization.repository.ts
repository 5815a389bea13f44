import type { Prisma } from '@metertwin/db';

/** Replaces the organization's device networks; returns them as stored. */
export async function updateOrgDeviceNetworks(
  db: Prisma.TransactionClient,
  orgId: string,
  networks: string[],
): Promise<string[]> {
  const org = await db.organization.update({
    where: { id: orgId },
    data: { deviceNetworks: networks },
    select: { deviceNetworks: true },
  });
  return org.deviceNetworks;
}
