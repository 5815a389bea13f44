import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { QueueName, WebhookHeader, type WebhookDeliveryJob, type WebhookEvent, type WebhookEventType } from '@metertwin/contracts';
import type { Prisma, PrismaClient, WebhookDelivery } from '@metertwin/db';
import { OutboundError, outboundRequest } from '@metertwin/egress';
import { CONFIG, OnJob, PRISMA, QueueService, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import type { NotifyEnv } from './config.js';
import { OutboundPolicies } from './outbound-policies.js';
import { findDelivery, findDeliveryWithWebhook, findSubscribedWebhooks, recordDeliveryAttempt, resetForReplay, upsertDelivery } from './webhook-delivery.repository.js';

/** `sha256=<hex>`: HMAC-SHA256 of `<timestamp>.<body>` keyed with the webhook's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const MAX_ERROR_LENGTH = 500;
/** Only the status of a subscriber's answer is used; its body is read (up to this) to release the socket. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Signed webhooks: `emit` writes one delivery row per enabled webhook of the organization subscribed
 * to the event (idempotent by event id) and queues it; the webhook-delivery worker POSTs it, signed,
 * with BullMQ retrying failures with exponential backoff; `replay` sends a delivery again.
 */
@Injectable()
export class WebhookService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    private readonly queues: QueueService,
    private readonly policies: OutboundPolicies,
  ) {}

  /**
   * Records the event for every matching webhook and queues the deliveries. Emitting the same
   * `eventId` again (a retried job) creates nothing new and only re-queues deliveries still pending.
   */
  async emit(orgId: string, type: WebhookEventType, eventId: string, data: Record<string, unknown>, at: Date = new Date()): Promise<WebhookDelivery[]> {
    const webhooks = await findSubscribedWebhooks(this.prisma, orgId, type);
    const deliveries: WebhookDelivery[] = [];
    for (const webhook of webhooks) {
      const payload = { id: eventId, type, createdAt: at.toISOString(), data } satisfies WebhookEvent;
      const delivery = await upsertDelivery(this.prisma, webhook.id, eventId, type, payload as Prisma.InputJsonValue);
      if (delivery.status === 'pending') await this.enqueue(delivery.id);
      deliveries.push(delivery);
    }
    return deliveries;
  }

  /**
   * Sends a delivery again (delivered or failed), with the same event id. Its finished job makes room
   * for the new one under the same id (the delivery's), so the reconciler finds a replay's job too.
   * A delivery still pending is already on its way: it is answered as it is.
   */
  async replay(deliveryId: string): Promise<WebhookDelivery | null> {
    if (await resetForReplay(this.prisma, deliveryId)) {
      await this.queues.bounded(this.queues.get(QueueName.WebhookDelivery).remove(deliveryId));
      await this.enqueue(deliveryId);
    }
    return findDelivery(this.prisma, deliveryId);
  }

  /** Queues one delivery with the retry policy, under its own id: queued once. */
  enqueue(deliveryId: string): Promise<void> {
    return this.queues.add(
      QueueName.WebhookDelivery,
      { v: 1, deliveryId } satisfies WebhookDeliveryJob,
      { jobId: deliveryId, attempts: this.config.WEBHOOK_MAX_ATTEMPTS, backoff: { type: 'exponential', delay: this.config.WEBHOOK_BACKOFF_MS } },
    );
  }

  @OnJob({ queue: QueueName.WebhookDelivery, concurrency: 8 })
  async deliver(job: WebhookDeliveryJob, { log, finalAttempt }: JobContext): Promise<void> {
    const delivery = await findDeliveryWithWebhook(this.prisma, job.deliveryId);
    if (!delivery) throw new UnrecoverableError(`webhook delivery ${job.deliveryId} does not exist`);
    if (delivery.status !== 'pending') return; // delivered (or given up) already: a duplicate job
    const { webhook } = delivery;
    if (!webhook.enabled) {
      await this.record(delivery.id, { status: 'failed', lastError: 'webhook disabled' });
      return;
    }

    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'MeterTwin-Webhooks/1',
      [WebhookHeader.EventId]: delivery.eventId,
      [WebhookHeader.Timestamp]: String(timestamp),
      [WebhookHeader.Signature]: signWebhook(webhook.secret, timestamp, body),
    };
    let statusCode: number;
    try {
      const answer = await outboundRequest(webhook.url, {
        policy: await this.policies.forOrg(webhook.orgId),
        method: 'POST',
        headers,
        body,
        timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
        maxBytes: MAX_ANSWER_BYTES,
      });
      statusCode = answer.status;
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      const message = error.message.slice(0, MAX_ERROR_LENGTH);
      if (error.failure === 'refused' || error.failure === 'invalid-url') {
        await this.record(delivery.id, { status: 'failed', lastError: message, attempts: { increment: 1 } });
        log.warn({ deliveryId: delivery.id, webhookId: webhook.id, err: message }, 'webhook destination refused');
        throw new UnrecoverableError(message);
      }
      await this.record(delivery.id, { status: finalAttempt ? 'failed' : 'pending', lastError: `request failed: ${message}`, lastStatusCode: null, attempts: { increment: 1 } });
      throw new Error(`request failed: ${message}`, { cause: error.cause });
    }
    if (statusCode >= 200 && statusCode < 300) {
      await this.record(delivery.id, { status: 'delivered', lastStatusCode: statusCode, lastError: null, deliveredAt: new Date(), attempts: { increment: 1 } });
      return;
    }
    const message = `subscriber answered HTTP ${statusCode}`;
    await this.record(delivery.id, { status: finalAttempt ? 'failed' : 'pending', lastStatusCode: statusCode, lastError: message, attempts: { increment: 1 } });
    throw new Error(message);
  }

  private record(id: string, data: Prisma.WebhookDeliveryUpdateInput): Promise<void> {
    return recordDeliveryAttempt(this.prisma, id, data);
  }
}
