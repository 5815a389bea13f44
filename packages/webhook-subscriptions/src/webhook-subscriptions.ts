import { randomBytes } from 'node:crypto';
import { DomainError, recordAudit, type Actor } from '@metertwin/alarms';
import type { PrismaClient, Webhook } from '@metertwin/db';
import { checkDestination, OutboundError, type OutboundPolicy } from '@metertwin/egress';
import type { CreateWebhookInput, UpdateWebhookInput } from './schemas.js';
import {
  deleteOrgWebhook,
  findOrgWebhook,
  findOrgWebhooks,
  insertWebhook,
  updateWebhook as updateWebhookRow,
} from './webhook-subscription.repository.js';

/** A webhook as listed: the secret is shown once, when it is created or rotated. */
export type PublicWebhook = Omit<Webhook, 'secret'>;
export const publicWebhook = ({ secret: _secret, ...webhook }: Webhook): PublicWebhook => webhook;
const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/**
 * Refuses at once a URL the delivery worker would refuse (the organization's outbound policy). A name
 * that does not resolve now may later: the worker checks again on every delivery.
 */
async function checkUrl(url: string, policy: OutboundPolicy): Promise<void> {
  try {
    await checkDestination(url, policy);
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.failure === 'refused' || error.failure === 'invalid-url')
      throw new DomainError('invalid', error.message, error.refusal && { code: error.refusal.code, params: { ...error.refusal.params, field: 'url' } });
  }
}

const notFound = (id: string) => new DomainError('not-found', `webhook ${id} does not exist`, { code: 'webhook-not-found' });

export async function listWebhooks(prisma: PrismaClient, orgId: string): Promise<PublicWebhook[]> {
  return (await findOrgWebhooks(prisma, orgId)).map(publicWebhook);
}

export async function getWebhook(prisma: PrismaClient, orgId: string, id: string): Promise<PublicWebhook> {
  const webhook = await findOrgWebhook(prisma, orgId, id);
  if (!webhook) throw notFound(id);
  return publicWebhook(webhook);
}

/** Subscribes a URL; answers with the signing secret (generated unless given), shown only here. */
export async function createWebhook(
  prisma: PrismaClient,
  actor: Actor,
  input: CreateWebhookInput,
  policy: OutboundPolicy,
): Promise<Webhook> {
  await checkUrl(input.url, policy);
  return prisma.$transaction(async (tx) => {
    const webhook = await insertWebhook(tx, actor.orgId, { ...input, secret: input.secret ?? newSecret() });
    await recordAudit(
      tx,
      actor,
      'webhook.created',
      { type: 'webhook', id: webhook.id },
      {
        url: webhook.url,
        events: webhook.events,
        enabled: webhook.enabled,
      },
    );
    return webhook;
  });
}

/** Changes URL, events or enabled; `rotateSecret: true` answers with the new secret. */
export async function updateWebhook(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: UpdateWebhookInput,
  policy: OutboundPolicy,
): Promise<PublicWebhook | Webhook> {
  const { rotateSecret, ...patch } = input;
  const before = await findOrgWebhook(prisma, actor.orgId, id);
  if (!before) throw notFound(id);
  if (patch.url) await checkUrl(patch.url, policy);
  return prisma.$transaction(async (tx) => {
    const webhook = await updateWebhookRow(tx, id, {
      ...patch,
      ...(rotateSecret ? { secret: newSecret() } : {}),
    });
    await recordAudit(
      tx,
      actor,
      'webhook.updated',
      { type: 'webhook', id },
      {
        ...patch,
        ...(rotateSecret ? { secretRotated: true } : {}),
      },
    );
    return rotateSecret ? webhook : publicWebhook(webhook);
  });
}

/** Unsubscribes; its delivery log goes with it. */
export async function deleteWebhook(prisma: PrismaClient, actor: Actor, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    if (!(await deleteOrgWebhook(tx, actor.orgId, id))) throw notFound(id);
    await recordAudit(tx, actor, 'webhook.deleted', { type: 'webhook', id }, {});
  });
}
