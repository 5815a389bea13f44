import { Inject, Injectable } from '@nestjs/common';
import { findOrgDeviceNetworks, type PrismaClient } from '@metertwin/db';
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
    return outboundPolicy(await findOrgDeviceNetworks(this.prisma, orgId), this.config.OUTBOUND_ALLOWED_HOSTS);
  }
}
