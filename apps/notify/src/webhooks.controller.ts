import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { Actor } from '@metertwin/alarms';
import type { PrismaClient, Webhook, WebhookDelivery } from '@metertwin/db';
import { ApiKeyActor, ApiKeyGuard, ApiOrg, PRISMA, refusal } from '@metertwin/service-kit';
import {
  createWebhook,
  CreateWebhookSchema,
  deleteWebhook,
  findDeliveries,
  getWebhook,
  isOrgDelivery,
  listWebhooks,
  updateWebhook,
  UpdateWebhookSchema,
  type PublicWebhook,
} from '@metertwin/webhook-subscriptions';
import { parseBody } from './http-body.js';
import { httpErrors, ParseId } from './http-errors.js';
import { OutboundPolicies } from './outbound-policies.js';
import { WebhookService } from './webhook.service.js';

const DeliveriesQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Webhook subscriptions and their delivery log, of the API key's organization. */
@Controller('v1/webhooks')
@UseGuards(ApiKeyGuard)
export class WebhooksController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly webhooks: WebhookService,
    private readonly policies: OutboundPolicies,
  ) {}

  /** Subscribes a URL; answers with the signing secret (generated unless given), shown only here. */
  @Post()
  async create(@ApiKeyActor() actor: Actor, @Body() body: unknown): Promise<Webhook> {
    const input = parseBody(CreateWebhookSchema, body);
    return httpErrors(createWebhook(this.prisma, actor, input, await this.policies.forOrg(actor.orgId)));
  }

  @Get()
  async list(@ApiOrg() orgId: string): Promise<PublicWebhook[]> {
    return listWebhooks(this.prisma, orgId);
  }

  @Get(':id')
  async get(@ApiOrg() orgId: string, @Param('id', ParseId) id: string): Promise<PublicWebhook> {
    return httpErrors(getWebhook(this.prisma, orgId, id));
  }

  /** Changes URL, events or enabled; `rotateSecret: true` answers with the new secret. */
  @Patch(':id')
  async update(@ApiKeyActor() actor: Actor, @Param('id', ParseId) id: string, @Body() body: unknown): Promise<PublicWebhook | Webhook> {
    const input = parseBody(UpdateWebhookSchema, body);
    return httpErrors(updateWebhook(this.prisma, actor, id, input, await this.policies.forOrg(actor.orgId)));
  }

  /** Unsubscribes; its delivery log goes with it. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@ApiKeyActor() actor: Actor, @Param('id', ParseId) id: string): Promise<void> {
    await httpErrors(deleteWebhook(this.prisma, actor, id));
  }

  /** The delivery log, newest first: status, attempts, last response code and error. */
  @Get(':id/deliveries')
  async deliveries(@ApiOrg() orgId: string, @Param('id', ParseId) id: string, @Query() query: unknown): Promise<WebhookDelivery[]> {
    const { status, limit } = parseBody(DeliveriesQuery, query);
    await httpErrors(getWebhook(this.prisma, orgId, id));
    return findDeliveries(this.prisma, id, { status, limit });
  }

  /** Sends a delivery again with the same event id (a new signature and timestamp). */
  @Post('deliveries/:id/replay')
  @HttpCode(202)
  async replay(@ApiOrg() orgId: string, @Param('id', ParseId) id: string): Promise<{ id: string; status: string }> {
    if (!(await isOrgDelivery(this.prisma, orgId, id))) throw refusal(NotFoundException, `webhook delivery ${id} does not exist`, { code: 'webhook-delivery-not-found' });
    const delivery = await this.webhooks.replay(id);
    if (!delivery) throw refusal(NotFoundException, `webhook delivery ${id} does not exist`, { code: 'webhook-delivery-not-found' });
    return { id: delivery.id, status: delivery.status };
  }
}
