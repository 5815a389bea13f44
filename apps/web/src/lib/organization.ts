import {
  API_SCOPES,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyView,
  type Prisma,
  type PrismaClient,
} from '@metertwin/db';
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

export const NewApiKeySchema = z.object({
  name: z.string().trim().min(1, 'give the key a name').max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1, 'choose read, write or both'),
});

export { listApiKeys, type ApiKeyView };

async function audit(
  prisma: PrismaClient,
  user: SessionUser,
  action: string,
  keyId: string,
  data: Prisma.InputJsonObject,
) {
  await prisma.auditLog.create({
    data: {
      orgId: user.orgId,
      actorType: 'user',
      actorId: user.id,
      action,
      entityType: 'api-key',
      entityId: keyId,
      data,
    },
  });
}

/** Creates an API key of the admin's organization; the token is returned here only. */
export async function createOrgApiKey(
  prisma: PrismaClient,
  user: SessionUser,
  input: z.output<typeof NewApiKeySchema>,
): Promise<{ key: ApiKeyView; token: string }> {
  const created = await createApiKey(prisma, { orgId: user.orgId, createdById: user.id, ...input });
  await audit(prisma, user, 'api-key.created', created.key.id, { name: input.name, scopes: input.scopes });
  return created;
}

/** Revokes one of the organization's keys; false when there is no such (active) key. */
export async function revokeOrgApiKey(prisma: PrismaClient, user: SessionUser, id: string): Promise<boolean> {
  const revoked = await revokeApiKey(prisma, user.orgId, id);
  if (revoked) await audit(prisma, user, 'api-key.revoked', id, {});
  return revoked;
}
