import type { PrismaClient } from '@metertwin/db';
import { DeviceNetworksSchema } from '@metertwin/egress';
import { z } from 'zod';
import type { SessionUser } from './auth';

/** Organization settings an admin changes in the portal. */

export const DeviceNetworksRequestSchema = z.object({ networks: DeviceNetworksSchema });

export async function deviceNetworks(prisma: PrismaClient, orgId: string): Promise<string[]> {
  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { deviceNetworks: true },
  });
  return org.deviceNetworks;
}

/**
 * Sets the private networks the organization's cameras and devices are on (what its camera pulls,
 * webhooks and actuators may reach besides the internet), with an audit entry of before and after.
 */
export async function setDeviceNetworks(
  prisma: PrismaClient,
  user: SessionUser,
  networks: string[],
): Promise<string[]> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({
      where: { id: user.orgId },
      select: { deviceNetworks: true },
    });
    const after = await tx.organization.update({
      where: { id: user.orgId },
      data: { deviceNetworks: networks },
      select: { deviceNetworks: true },
    });
    await tx.auditLog.create({
      data: {
        orgId: user.orgId,
        actorType: 'user',
        actorId: user.id,
        action: 'organization.device-networks.set',
        entityType: 'organization',
        entityId: user.orgId,
        data: { before: before.deviceNetworks, after: after.deviceNetworks },
      },
    });
    return after.deviceNetworks;
  });
}
