import type { PrismaClient } from '@metertwin/db';
import type { OutboundPolicy } from '@metertwin/egress';
import { cameraPolicy } from '@metertwin/meters';
import { webConfig } from './config';

/** What the organization's cameras and webhooks may reach: public addresses, its device networks, OUTBOUND_ALLOWED_HOSTS. */
export function orgOutboundPolicy(prisma: PrismaClient, orgId: string): Promise<OutboundPolicy> {
  return cameraPolicy(prisma, orgId, webConfig().OUTBOUND_ALLOWED_HOSTS);
}
