import { randomBytes } from 'node:crypto';
import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '@metertwin/contracts';
import type { PrismaClient, Webhook, WebhookDelivery } from '@metertwin/db';
import { checkDestination, OutboundError } from '@metertwin/egress';
import { ApiKeyGuard, ApiOrg, PRISMA } from '@metertwin/service-kit';
import { parseBody } from './http-body.js';
import { OutboundPolicies } from './outbound-policies.js';
import { WebhookService } from './webhook.service.js';
import { deleteOrgWebhook, findDeliveries, findOrgWebhook, findOrgWebhooks, insertWebhook, isOrgDelivery, updateWebhook } from './webhook-subscription.repository.js';

const Events = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).transform((events) => [...new Set(events)]);
const Url = z.url({ protocol: /^https?$/ }).max(2000);
const CreateWebhookSchema = z
  .object({ url: Url, events: Events, secret: z.string().min(16).max(200).optional(), enabled: z.boolean().default(true) })
  .strict();
const UpdateWebhookSchema = z
  .object({ url: Url, events: Events, enabled: z.boolean(), rotateSecret: z.literal(true) })
  .partial()
  .strict();
const DeliveriesQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** A webhook as listed: the secret is shown once, when it is created or rotated. */
type PublicWebhook = Omit<Webhook, 'secret'>;
const publicView = ({ secret: _secret, ...webhook }: Webhook): PublicWebhook => webhook;
const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

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
  async create(@ApiOrg() orgId: string, @Body() body: unknown): Promise<Webhook> {
    const input = parseBody(CreateWebhookSchema, body);
    await this.checkUrl(orgId, input.url);
    return insertWebhook(this.prisma, orgId, { ...input, secret: input.secret ?? newSecret() });
  }

  @Get()
  async list(@ApiOrg() orgId: string): Promise<PublicWebhook[]> {
    return (await findOrgWebhooks(this.prisma, orgId)).map(publicView);
  }

  @Get(':id')
  async get(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<PublicWebhook> {
    return publicView(await this.find(orgId, id));
  }

  /** Changes URL, events or enabled; `rotateSecret: true` answers with the new secret. */
  @Patch(':id')
  async update(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<PublicWebhook | Webhook> {
    const { rotateSecret, ...patch } = parseBody(UpdateWebhookSchema, body);
    await this.find(orgId, id);
    if (patch.url) await this.checkUrl(orgId, patch.url);
    const webhook = await updateWebhook(this.prisma, id, { ...patch, ...(rotateSecret ? { secret: newSecret() } : {}) });
    return rotateSecret ? webhook : publicView(webhook);
  }

  /** Unsubscribes; its delivery log goes with it. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await deleteOrgWebhook(this.prisma, orgId, id))) throw new NotFoundException(`webhook ${id} does not exist`);
  }

  /** The delivery log, newest first: status, attempts, last response code and error. */
  @Get(':id/deliveries')
  async deliveries(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Query() query: unknown): Promise<WebhookDelivery[]> {
    const { status, limit } = parseBody(DeliveriesQuery, query);
    await this.find(orgId, id);
    return findDeliveries(this.prisma, id, { status, limit });
  }

  /** Sends a delivery again with the same event id (a new signature and timestamp). */
  @Post('deliveries/:id/replay')
  @HttpCode(202)
  async replay(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<{ id: string; status: string }> {
    if (!(await isOrgDelivery(this.prisma, orgId, id))) throw new NotFoundException(`webhook delivery ${id} does not exist`);
    const delivery = await this.webhooks.replay(id);
    if (!delivery) throw new NotFoundException(`webhook delivery ${id} does not exist`);
    return { id: delivery.id, status: delivery.status };
  }

  private async find(orgId: string, id: string): Promise<Webhook> {
    const webhook = await findOrgWebhook(this.prisma, orgId, id);
    if (!webhook) throw new NotFoundException(`webhook ${id} does not exist`);
    return webhook;
  }

  /** Refuses at once a URL the delivery worker would refuse (the organization's outbound policy). */
  private async checkUrl(orgId: string, url: string): Promise<void> {
    try {
      await checkDestination(url, await this.policies.forOrg(orgId));
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      // A name that does not resolve now may later: the worker checks again on every delivery.
      if (error.failure === 'refused' || error.failure === 'invalid-url') throw new BadRequestException(error.message);
    }
  }
}
