import type { PrismaClient } from '@metertwin/db';
import type { SessionUser } from './auth';

/**
 * A phone's FCM token or a browser's web push endpoint names one device. Registering it again
 * moves it to the caller only within the caller's organization (a shared phone, a colleague's
 * browser); a registration of another organization is never taken over, or alarms of one
 * organization would go to the other's device.
 */
export class ForeignRegistrationError extends Error {
  readonly code = 'device-registered-elsewhere';
  constructor() {
    super('this device is registered to another organization: sign out of it there first');
  }
}

export async function registerPushDevice(
  prisma: PrismaClient,
  user: SessionUser,
  device: { token: string; platform: string },
): Promise<{ id: string }> {
  const data = { userId: user.id, platform: device.platform };
  // Create-if-absent, then a conditional move: two statements with no window for another
  // organization's request to take the row in between.
  await prisma.pushDevice.createMany({ data: [{ token: device.token, ...data }], skipDuplicates: true });
  const { count } = await prisma.pushDevice.updateMany({
    where: { token: device.token, user: { orgId: user.orgId } },
    data,
  });
  if (count === 0) throw new ForeignRegistrationError();
  return prisma.pushDevice.findUniqueOrThrow({ where: { token: device.token }, select: { id: true } });
}

export async function registerWebPush(
  prisma: PrismaClient,
  user: SessionUser,
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
): Promise<{ id: string }> {
  const data = { userId: user.id, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth };
  await prisma.webPushSubscription.createMany({
    data: [{ endpoint: subscription.endpoint, ...data }],
    skipDuplicates: true,
  });
  const { count } = await prisma.webPushSubscription.updateMany({
    where: { endpoint: subscription.endpoint, user: { orgId: user.orgId } },
    data,
  });
  if (count === 0) throw new ForeignRegistrationError();
  return prisma.webPushSubscription.findUniqueOrThrow({
    where: { endpoint: subscription.endpoint },
    select: { id: true },
  });
}

/** The user's registered phones, oldest first; the token only by its last 8 characters. */
export async function listPushDevices(prisma: PrismaClient, userId: string) {
  const devices = await prisma.pushDevice.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, platform: true, token: true, createdAt: true, lastUsedAt: true },
  });
  return devices.map(({ token, ...d }) => ({ ...d, tokenEnd: token.slice(-8) }));
}

/** Removes one of the user's phones; false when the user has no such token. */
export async function removePushDevice(
  prisma: PrismaClient,
  userId: string,
  token: string,
): Promise<boolean> {
  return (await prisma.pushDevice.deleteMany({ where: { token, userId } })).count > 0;
}

export function countWebPushSubscriptions(prisma: PrismaClient, userId: string): Promise<number> {
  return prisma.webPushSubscription.count({ where: { userId } });
}

/** Removes one of the user's browser subscriptions; false when the user has no such endpoint. */
export async function removeWebPush(
  prisma: PrismaClient,
  userId: string,
  endpoint: string,
): Promise<boolean> {
  return (await prisma.webPushSubscription.deleteMany({ where: { endpoint, userId } })).count > 0;
}
