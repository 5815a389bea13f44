import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@metertwin/db';
import { outboundPolicy, type OutboundPolicy } from '@metertwin/egress';
import { CONFIG, PRISMA } from '@metertwin/service-kit';
import type { NotifyEnv } from './config.js';

/** What an organization's webhooks, Slack channels, push endpoints and actuators may reach. */
@Injectable()
export class OutboundPolicies {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
  ) {}

  async forOrg(orgId: string): Promise<OutboundPolicy> {
    const org = await this.prisma.organization.findUnique({ where: { id: orgId }, select: { deviceNetworks: true } });
    return outboundPolicy(org?.deviceNetworks ?? [], this.config.OUTBOUND_ALLOWED_HOSTS);
  }
}
