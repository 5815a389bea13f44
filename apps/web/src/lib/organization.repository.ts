import type { Prisma } from '@metertwin/db';

/** The private networks the organization's cameras and devices are on, as stored. */
export async function findOrgDeviceNetworks(db: Prisma.TransactionClient, orgId: string): Promise<string[]> {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { deviceNetworks: true } });
  return org.deviceNetworks;
}

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
