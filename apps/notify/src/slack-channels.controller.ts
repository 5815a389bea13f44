import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { Actor } from '@metertwin/alarms';
import type { PrismaClient } from '@metertwin/db';
import { ApiKeyActor, ApiKeyGuard, ApiOrg, PRISMA } from '@metertwin/service-kit';
import {
  createSlackChannel,
  CreateSlackChannelSchema,
  deleteSlackChannel,
  listSlackChannels,
  updateSlackChannel,
  UpdateSlackChannelSchema,
  type PublicSlackChannel,
} from '@metertwin/slack-channels';
import { parseBody } from './http-body.js';
import { httpErrors, ParseId } from './http-errors.js';
import { OutboundPolicies } from './outbound-policies.js';

/** The API key's organization's Slack channels for alarm notifications (the same operations as the portal's). */
@Controller('v1/slack-channels')
@UseGuards(ApiKeyGuard)
export class SlackChannelsController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly policies: OutboundPolicies,
  ) {}

  /** Adds a channel {name, webhookUrl, minSeverity?, enabled?}; the URL is never answered back. */
  @Post()
  async create(@ApiKeyActor() actor: Actor, @Body() body: unknown): Promise<PublicSlackChannel> {
    const input = parseBody(CreateSlackChannelSchema, body);
    return httpErrors(createSlackChannel(this.prisma, actor, input, await this.policies.forOrg(actor.orgId)));
  }

  @Get()
  async list(@ApiOrg() orgId: string): Promise<PublicSlackChannel[]> {
    return listSlackChannels(this.prisma, orgId);
  }

  @Patch(':id')
  async update(@ApiKeyActor() actor: Actor, @Param('id', ParseId) id: string, @Body() body: unknown): Promise<PublicSlackChannel> {
    const input = parseBody(UpdateSlackChannelSchema, body);
    return httpErrors(updateSlackChannel(this.prisma, actor, id, input, await this.policies.forOrg(actor.orgId)));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@ApiKeyActor() actor: Actor, @Param('id', ParseId) id: string): Promise<void> {
    await httpErrors(deleteSlackChannel(this.prisma, actor, id));
  }
}
