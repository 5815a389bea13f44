import type { PrismaClient } from '@metertwin/db';

/** Data access of phones (FCM tokens) and browsers (web push endpoints) registered for alarms. */

export async function insertPushDeviceIfAbsent(
  db: PrismaClient,
  device: { token: string; userId: string; platform: string },
): Promise<void> {
  await db.pushDevice.createMany({ data: [device], skipDuplicates: true });
}

/** Gives the token to the user when it is registered within `orgId`; false when it belongs elsewhere. */
export async function movePushDeviceInOrg(
  db: PrismaClient,
  orgId: string,
  device: { token: string; userId: string; platform: string },
): Promise<boolean> {
  const { token, ...data } = device;
  return (await db.pushDevice.updateMany({ where: { token, user: { orgId } }, data })).count > 0;
}

export function findPushDeviceId(db: PrismaClient, token: string): Promise<{ id: string }> {
  return db.pushDevice.findUniqueOrThrow({ where: { token }, select: { id: true } });
}

export function findUserPushDevices(db: PrismaClient, userId: string) {
  return db.pushDevice.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, platform: true, token: true, createdAt: true, lastUsedAt: true },
  });
}

export async function deleteUserPushDevice(db: PrismaClient, userId: string, token: string): Promise<boolean> {
  return (await db.pushDevice.deleteMany({ where: { token, userId } })).count > 0;
}

type WebPush = { endpoint: string; userId: string; p256dh: string; auth: string };

export async function insertWebPushIfAbsent(db: PrismaClient, subscription: WebPush): Promise<void> {
  await db.webPushSubscription.createMany({ data: [subscription], skipDuplicates: true });
}

/** Gives the endpoint to the user when it is registered within `orgId`; false when it belongs elsewhere. */
export async function moveWebPushInOrg(db: PrismaClient, orgId: string, subscription: WebPush): Promise<boolean> {
  const { endpoint, ...data } = subscription;
  return (await db.webPushSubscription.updateMany({ where: { endpoint, user: { orgId } }, data })).count > 0;
}

export function findWebPushId(db: PrismaClient, endpoint: string): Promise<{ id: string }> {
  return db.webPushSubscription.findUniqueOrThrow({ where: { endpoint }, select: { id: true } });
}

export function countUserWebPush(db: PrismaClient, userId: string): Promise<number> {
  return db.webPushSubscription.count({ where: { userId } });
}

export async function deleteUserWebPush(db: PrismaClient, userId: string, endpoint: string): Promise<boolean> {
  return (await db.webPushSubscription.deleteMany({ where: { endpoint, userId } })).count > 0;
}
