import type { Prisma, Webhook, WebhookDelivery, WebhookDeliveryStatus } from '@metertwin/db';

/** Data access of the webhook aggregate (a subscription and its delivery log) for the webhooks API (notify) and the portal. */

export function insertWebhook(
  db: Prisma.TransactionClient,
  orgId: string,
  data: { url: string; events: string[]; secret: string; enabled: boolean },
): Promise<Webhook> {
  return db.webhook.create({ data: { ...data, orgId } });
}

export function findOrgWebhooks(db: Prisma.TransactionClient, orgId: string): Promise<Webhook[]> {
  return db.webhook.findMany({ where: { orgId }, orderBy: { createdAt: 'asc' } });
}

export function findOrgWebhook(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<Webhook | null> {
  return db.webhook.findFirst({ where: { id, orgId } });
}

export function updateWebhook(
  db: Prisma.TransactionClient,
  id: string,
  data: Prisma.WebhookUpdateInput,
): Promise<Webhook> {
  return db.webhook.update({ where: { id }, data });
}

/** Deletes the subscription and its delivery log; false when it is not the organization's. */
export async function deleteOrgWebhook(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<boolean> {
  return (await db.webhook.deleteMany({ where: { id, orgId } })).count > 0;
}

/** The subscription's deliveries, newest first. */
export function findDeliveries(
  db: Prisma.TransactionClient,
  webhookId: string,
  filter: { status?: WebhookDeliveryStatus; limit: number },
): Promise<WebhookDelivery[]> {
  return db.webhookDelivery.findMany({
    where: { webhookId, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { createdAt: 'desc' },
    take: filter.limit,
  });
}

export async function isOrgDelivery(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<boolean> {
  return (await db.webhookDelivery.count({ where: { id, webhook: { orgId } } })) > 0;
}
