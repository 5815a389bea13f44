import { DomainError, recordAudit, type Actor } from '@metertwin/alarms';
import type { PrismaClient, SlackChannel } from '@metertwin/db';
import { checkDestination, OutboundError, type OutboundPolicy } from '@metertwin/egress';
import type { CreateSlackChannelInput, UpdateSlackChannelInput } from './schemas.js';
import {
  deleteOrgSlackChannel,
  findOrgSlackChannel,
  findOrgSlackChannels,
  insertSlackChannel,
  updateSlackChannelRow,
} from './slack-channel.repository.js';

/**
 * A channel as listed: the incoming webhook URL lets anyone post to the channel, so only its origin
 * is shown (`https://hooks.slack.com/…`), like an API key's prefix.
 */
export type PublicSlackChannel = Omit<SlackChannel, 'webhookUrl'> & { webhookUrlHint: string };
export function publicSlackChannel({ webhookUrl, ...channel }: SlackChannel): PublicSlackChannel {
  return { ...channel, webhookUrlHint: `${new URL(webhookUrl).origin}/…` };
}

/** Refuses at once a URL delivery would refuse; a name that does not resolve now may later. */
async function checkUrl(url: string, policy: OutboundPolicy): Promise<void> {
  try {
    await checkDestination(url, policy);
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.failure === 'refused' || error.failure === 'invalid-url')
      throw new DomainError('invalid', error.message, error.refusal && { code: error.refusal.code, params: { ...error.refusal.params, field: 'webhookUrl' } });
  }
}

const notFound = (id: string) => new DomainError('not-found', `Slack channel ${id} does not exist`, { code: 'slack-channel-not-found' });

/** What an audit row says about a change: never the URL (a credential), only that it changed. */
const auditData = (input: UpdateSlackChannelInput) => {
  const { webhookUrl, ...rest } = input;
  return { ...rest, ...(webhookUrl ? { webhookUrlChanged: true } : {}) };
};

export async function listSlackChannels(prisma: PrismaClient, orgId: string): Promise<PublicSlackChannel[]> {
  return (await findOrgSlackChannels(prisma, orgId)).map(publicSlackChannel);
}

export async function createSlackChannel(
  prisma: PrismaClient,
  actor: Actor,
  input: CreateSlackChannelInput,
  policy: OutboundPolicy,
): Promise<PublicSlackChannel> {
  await checkUrl(input.webhookUrl, policy);
  return prisma.$transaction(async (tx) => {
    const channel = await insertSlackChannel(tx, actor.orgId, input);
    await recordAudit(
      tx,
      actor,
      'slack-channel.created',
      { type: 'slack-channel', id: channel.id },
      auditData(input),
    );
    return publicSlackChannel(channel);
  });
}

export async function updateSlackChannel(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: UpdateSlackChannelInput,
  policy: OutboundPolicy,
): Promise<PublicSlackChannel> {
  if (!(await findOrgSlackChannel(prisma, actor.orgId, id))) throw notFound(id);
  if (input.webhookUrl) await checkUrl(input.webhookUrl, policy);
  return prisma.$transaction(async (tx) => {
    const channel = await updateSlackChannelRow(tx, id, input);
    await recordAudit(tx, actor, 'slack-channel.updated', { type: 'slack-channel', id }, auditData(input));
    return publicSlackChannel(channel);
  });
}

export async function deleteSlackChannel(prisma: PrismaClient, actor: Actor, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    if (!(await deleteOrgSlackChannel(tx, actor.orgId, id))) throw notFound(id);
    await recordAudit(tx, actor, 'slack-channel.deleted', { type: 'slack-channel', id }, {});
  });
}
