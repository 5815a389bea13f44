import type { PrismaClient } from '@metertwin/db';
import type { DeviceAccount, DeviceAclsUpdate, MqttAccounts } from './mqtt-accounts.js';

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

/**
 * Brings every MQTT camera's broker account to the ACLs a new one gets (an account made before a
 * topic was added to the device role, such as the command topic, cannot use it until then). Run by
 * the deployment's `mqtt-accounts` step (scripts/mqtt-accounts.ts) before ingest starts; passwords
 * are kept. Answers the devices per outcome: `missing` are those the broker has no account for (to
 * be provisioned again).
 */
export async function reconcileMqttCameras(prisma: PrismaClient, accounts: MqttAccounts): Promise<Record<DeviceAclsUpdate, string[]>> {
  const outcome: Record<DeviceAclsUpdate, string[]> = { updated: [], current: [], missing: [] };
  const devices = await prisma.device.findMany({ where: { mqttUsername: { not: null } }, select: { id: true, meterId: true }, orderBy: { id: 'asc' } });
  for (const device of devices) outcome[await accounts.updateDeviceAcls(device.meterId, device.id)].push(device.id);
  return outcome;
}
