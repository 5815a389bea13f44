import type { Prisma } from './generated/client.js';

/**
 * The private networks the organization's cameras and devices are on, as stored: what the portal
 * shows and the outbound policy of its camera pulls, webhooks, Slack, push and actuators builds on.
 * An unknown organization has none (the strictest policy: public addresses only).
 */
export async function findOrgDeviceNetworks(db: Prisma.TransactionClient, orgId: string): Promise<string[]> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { deviceNetworks: true } });
  return org?.deviceNetworks ?? [];
}
