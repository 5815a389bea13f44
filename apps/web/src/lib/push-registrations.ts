import type { PrismaClient } from '@metertwin/db';
import type { SessionUser } from './auth';
import {
  findPushDeviceId,
  findUserPushDevices,
  findWebPushId,
  insertPushDeviceIfAbsent,
  insertWebPushIfAbsent,
  movePushDeviceInOrg,
  moveWebPushInOrg,
} from './push-registration.repository';

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
  const row = { token: device.token, userId: user.id, platform: device.platform };
  // Create-if-absent, then a conditional move: two statements with no window for another
  // organization's request to take the row in between.
  await insertPushDeviceIfAbsent(prisma, row);
  if (!(await movePushDeviceInOrg(prisma, user.orgId, row))) throw new ForeignRegistrationError();
  return findPushDeviceId(prisma, device.token);
}

export async function registerWebPush(
  prisma: PrismaClient,
  user: SessionUser,
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
): Promise<{ id: string }> {
  const row = {
    endpoint: subscription.endpoint,
    userId: user.id,
    p256dh: subscription.keys.p256dh,
    auth: subscription.keys.auth,
  };
  await insertWebPushIfAbsent(prisma, row);
  if (!(await moveWebPushInOrg(prisma, user.orgId, row))) throw new ForeignRegistrationError();
  return findWebPushId(prisma, subscription.endpoint);
}

/** The user's registered phones, oldest first; the token only by its last 8 characters. */
export async function listPushDevices(prisma: PrismaClient, userId: string) {
  const devices = await findUserPushDevices(prisma, userId);
  return devices.map(({ token, ...d }) => ({ ...d, tokenEnd: token.slice(-8) }));
}
