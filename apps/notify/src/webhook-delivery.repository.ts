import type { Prisma, Webhook, WebhookDelivery } from '@metertwin/db';

/** Data access of webhook deliveries (the webhooks' outbox) for emitting and sending events. */

type Db = Prisma.TransactionClient;

const MAX_ERROR_LENGTH = 500;

/** Ids of the organization's enabled webhooks subscribed to the event type. */
export function findSubscribedWebhooks(db: Db, orgId: string, eventType: string): Promise<{ id: string }[]> {
  return db.webhook.findMany({ where: { orgId, enabled: true, events: { has: eventType } }, select: { id: true } });
}

/** The webhook's delivery of the event: created on the first call, returned as it is on later ones. */
export function upsertDelivery(db: Db, webhookId: string, eventId: string, eventType: string, payload: Prisma.InputJsonValue): Promise<WebhookDelivery> {
  return db.webhookDelivery.upsert({
    where: { webhookId_eventId: { webhookId, eventId } },
    create: { webhookId, eventId, event: eventType, payload },
    update: {},
  });
}

/** Makes a finished (delivered or failed) delivery pending again; false when it is pending already or gone. */
export async function resetForReplay(db: Db, id: string): Promise<boolean> {
  const { count } = await db.webhookDelivery.updateMany({
    where: { id, status: { not: 'pending' } },
    data: { status: 'pending', attempts: 0, lastStatusCode: null, lastError: null, deliveredAt: null },
  });
  return count === 1;
}

export function findDelivery(db: Db, id: string): Promise<WebhookDelivery | null> {
  return db.webhookDelivery.findUnique({ where: { id } });
}

export function findDeliveryWithWebhook(db: Db, id: string): Promise<(WebhookDelivery & { webhook: Webhook }) | null> {
  return db.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
}

/** Records an attempt's outcome on the delivery. */
export async function recordDeliveryAttempt(db: Db, id: string, data: Prisma.WebhookDeliveryUpdateInput): Promise<void> {
  await db.webhookDelivery.update({ where: { id }, data });
}

/** Deliveries pending since before `cutoff`, oldest first, after `after`. */
export function findStrandedDeliveries(db: Db, cutoff: Date, take: number, after?: string): Promise<{ id: string }[]> {
  return db.webhookDelivery.findMany({
    where: { status: 'pending', createdAt: { lt: cutoff } },
    select: { id: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
}

/** Fails a delivery that is still pending (the reconciler gave up on it). */
export async function failPendingDelivery(db: Db, id: string, reason: string): Promise<void> {
  await db.webhookDelivery.updateMany({ where: { id, status: 'pending' }, data: { status: 'failed', lastError: `gave up: ${reason}`.slice(0, MAX_ERROR_LENGTH) } });
}
