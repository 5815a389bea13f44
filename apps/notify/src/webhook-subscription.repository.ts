import type { Prisma, PrismaClient, Webhook, WebhookDelivery, WebhookDeliveryStatus } from '@metertwin/db';

/** Data access of the webhook aggregate (a subscription and its delivery log) for the webhooks API. */

export function insertWebhook(
  db: PrismaClient,
  orgId: string,
  data: { url: string; events: string[]; secret: string; enabled: boolean },
): Promise<Webhook> {
  return db.webhook.create({ data: { ...data, orgId } });
}

export function findOrgWebhooks(db: PrismaClient, orgId: string): Promise<Webhook[]> {
  return db.webhook.findMany({ where: { orgId }, orderBy: { createdAt: 'asc' } });
}

export function findOrgWebhook(db: PrismaClient, orgId: string, id: string): Promise<Webhook | null> {
  return db.webhook.findFirst({ where: { id, orgId } });
}

export function updateWebhook(db: PrismaClient, id: string, data: Prisma.WebhookUpdateInput): Promise<Webhook> {
  return db.webhook.update({ where: { id }, data });
}

/** Deletes the subscription and its delivery log; false when it is not the organization's. */
export async function deleteOrgWebhook(db: PrismaClient, orgId: string, id: string): Promise<boolean> {
  return (await db.webhook.deleteMany({ where: { id, orgId } })).count > 0;
}

/** The subscription's deliveries, newest first. */
export function findDeliveries(
  db: PrismaClient,
  webhookId: string,
  filter: { status?: WebhookDeliveryStatus; limit: number },
): Promise<WebhookDelivery[]> {
  return db.webhookDelivery.findMany({
    where: { webhookId, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { createdAt: 'desc' },
    take: filter.limit,
  });
}

export async function isOrgDelivery(db: PrismaClient, orgId: string, id: string): Promise<boolean> {
  return (await db.webhookDelivery.count({ where: { id, webhook: { orgId } } })) > 0;
}
