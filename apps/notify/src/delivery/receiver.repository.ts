import type { NotificationPreference, Prisma, PushDevice, SlackChannel, WebPushSubscription } from '@metertwin/db';

/** Data access of notification receivers: users' phones and browsers, organizations' Slack channels. */

type Db = Prisma.TransactionClient;

export interface OrgUserReceivers {
  id: string;
  preference: NotificationPreference | null;
  pushDevices: { id: string }[];
  webPushSubs: { id: string }[];
}

/** The organization's users, oldest first, with their preferences and the ids of their devices and browsers. */
export function findOrgUserReceivers(db: Db, orgId: string): Promise<OrgUserReceivers[]> {
  return db.user.findMany({
    where: { orgId },
    select: { id: true, preference: true, pushDevices: { select: { id: true } }, webPushSubs: { select: { id: true } } },
    orderBy: { createdAt: 'asc' },
  });
}

export function findEnabledSlackChannels(db: Db, orgId: string): Promise<Pick<SlackChannel, 'id' | 'minSeverity'>[]> {
  return db.slackChannel.findMany({ where: { orgId, enabled: true }, select: { id: true, minSeverity: true } });
}

export function findSlackChannel(db: Db, id: string): Promise<SlackChannel | null> {
  return db.slackChannel.findUnique({ where: { id } });
}

export function findPushDevice(db: Db, id: string): Promise<PushDevice | null> {
  return db.pushDevice.findUnique({ where: { id } });
}

export async function touchPushDevice(db: Db, id: string): Promise<void> {
  await db.pushDevice.updateMany({ where: { id }, data: { lastUsedAt: new Date() } });
}

export async function deletePushDevice(db: Db, id: string): Promise<void> {
  await db.pushDevice.deleteMany({ where: { id } });
}

export function findWebPushSubscription(db: Db, id: string): Promise<(WebPushSubscription & { user: { orgId: string } }) | null> {
  return db.webPushSubscription.findUnique({ where: { id }, include: { user: { select: { orgId: true } } } });
}

export async function deleteWebPushSubscription(db: Db, id: string): Promise<void> {
  await db.webPushSubscription.deleteMany({ where: { id } });
}
