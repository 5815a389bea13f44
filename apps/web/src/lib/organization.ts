import {
  API_SCOPES,
  createApiKey,
  findOrgDeviceNetworks,
  listApiKeys,
  revokeApiKey,
  type ApiKeyView,
  type PrismaClient,
} from '@metertwin/db';
import { recordAudit } from '@metertwin/alarms';
import { DeviceNetworksSchema } from '@metertwin/egress';
import { z } from 'zod';
import { actorOf } from './actor';
import type { SessionUser } from './auth';
import { setOrgDeviceNetworks } from './organization.repository';

/** Organization settings an admin changes in the portal. */

export const DeviceNetworksRequestSchema = z.object({ networks: DeviceNetworksSchema });

export function deviceNetworks(prisma: PrismaClient, orgId: string): Promise<string[]> {
  return findOrgDeviceNetworks(prisma, orgId);
}

/**
 * Sets the private networks the organization's cameras and devices are on (what its camera pulls,
 * webhooks and actuators may reach besides the internet), with an audit entry of before and after.
 */
export function setDeviceNetworks(
  prisma: PrismaClient,
  user: SessionUser,
  networks: string[],
): Promise<string[]> {
  return setOrgDeviceNetworks(prisma, actorOf(user), user.orgId, networks);
}

export const NewApiKeySchema = z.object({
  name: z.string().trim().min(1, 'give the key a name').max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1, 'choose read, write or both'),
});

export { listApiKeys, type ApiKeyView };

/** Creates an API key of the admin's organization; the token is returned here only. */
export async function createOrgApiKey(
  prisma: PrismaClient,
  user: SessionUser,
  input: z.output<typeof NewApiKeySchema>,
): Promise<{ key: ApiKeyView; token: string }> {
  const created = await createApiKey(prisma, { orgId: user.orgId, createdById: user.id, ...input });
  await recordAudit(prisma, actorOf(user), 'api-key.created', { type: 'api-key', id: created.key.id }, {
    name: input.name,
    scopes: input.scopes,
  });
  return created;
}

/** Revokes one of the organization's keys; false when there is no such (active) key. */
export async function revokeOrgApiKey(prisma: PrismaClient, user: SessionUser, id: string): Promise<boolean> {
  const revoked = await revokeApiKey(prisma, user.orgId, id);
  if (revoked) await recordAudit(prisma, actorOf(user), 'api-key.revoked', { type: 'api-key', id }, {});
  return revoked;
}
