import type { PrismaClient } from '@metertwin/db';
import { outboundPolicy, type OutboundPolicy } from '@metertwin/egress';
import { webConfig } from './config';

/** What the organization's cameras and webhooks may reach: public addresses, its device networks, OUTBOUND_ALLOWED_HOSTS. */
export async function orgOutboundPolicy(prisma: PrismaClient, orgId: string): Promise<OutboundPolicy> {
  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { deviceNetworks: true },
  });
  return outboundPolicy(org.deviceNetworks, webConfig().OUTBOUND_ALLOWED_HOSTS);
}
