import type { Prisma, SlackChannel } from '@metertwin/db';

/** Data access of an organization's Slack channels for notify's API and the portal. */

export function insertSlackChannel(
  db: Prisma.TransactionClient,
  orgId: string,
  data: Omit<Prisma.SlackChannelUncheckedCreateInput, 'orgId' | 'id' | 'createdAt'>,
): Promise<SlackChannel> {
  return db.slackChannel.create({ data: { ...data, orgId } });
}

export function findOrgSlackChannels(db: Prisma.TransactionClient, orgId: string): Promise<SlackChannel[]> {
  return db.slackChannel.findMany({ where: { orgId }, orderBy: { createdAt: 'asc' } });
}

export function findOrgSlackChannel(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<SlackChannel | null> {
  return db.slackChannel.findFirst({ where: { id, orgId } });
}

export function updateSlackChannelRow(
  db: Prisma.TransactionClient,
  id: string,
  data: Prisma.SlackChannelUpdateInput,
): Promise<SlackChannel> {
  return db.slackChannel.update({ where: { id }, data });
}

/** False when the channel is not the organization's. */
export async function deleteOrgSlackChannel(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<boolean> {
  return (await db.slackChannel.deleteMany({ where: { id, orgId } })).count > 0;
}
