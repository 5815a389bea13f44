import type { PrismaClient } from '@metertwin/db';
import type { DeviceAccount, MqttAccounts } from './mqtt-accounts.js';

/**
 * Gives a meter's camera its own broker account (replacing one it had) and records it on the
 * device, so that ingest takes the photos published to the meter's topic. The password is returned
 * once, like a device token.
 */
export async function provisionMqttCamera(prisma: PrismaClient, accounts: MqttAccounts, deviceId: string): Promise<DeviceAccount> {
  const device = await prisma.device.findUniqueOrThrow({ where: { id: deviceId }, select: { meterId: true } });
  const account = await accounts.createDeviceAccount(device.meterId, deviceId);
  await prisma.device.update({ where: { id: deviceId }, data: { mqttUsername: account.username } });
  return account;
}

/** Takes the camera's broker account away (the broker disconnects it) and forgets it on the device. */
export async function revokeMqttCamera(prisma: PrismaClient, accounts: MqttAccounts, deviceId: string): Promise<void> {
  await accounts.revokeDeviceAccount(deviceId);
  await prisma.device.update({ where: { id: deviceId }, data: { mqttUsername: null } });
}
