import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttTopic } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { MqttAccounts, provisionMqttCamera, reconcileMqttCameras } from '@metertwin/mqtt-accounts';
import { createTestDatabase, waitFor } from '@metertwin/testing';
import { startMosquitto } from './mosquitto-server.js';

/** Sends dynamic-security commands as the admin and waits for the broker's answer. */
async function dynsec(url: string, admin: { username: string; password: string }, commands: Record<string, unknown>[]) {
  const client = await mqtt.connectAsync(url, { ...admin, reconnectPeriod: 0 });
  try {
    await client.subscribeAsync('$CONTROL/dynamic-security/v1/response', { qos: 1 });
    const answered = new Promise<{ error?: string }[]>((resolve) => client.once('message', (_t, payload) => resolve((JSON.parse(payload.toString()) as { responses: { error?: string }[] }).responses)));
    await client.publishAsync('$CONTROL/dynamic-security/v1', JSON.stringify({ commands }), { qos: 1 });
    return await answered;
  } finally {
    await client.endAsync();
  }
}

/** The broker's granted QoS for a subscription (128: refused). */
async function grantedQos(client: MqttClient, topic: string): Promise<number> {
  try {
    const [granted] = await client.subscribeAsync(topic, { qos: 1 });
    return granted!.qos;
  } catch (error) {
    // mqtt.js rejects a refused subscription, the SUBACK's code on the error
    if ((error as Error).name !== 'ErrorWithSubackPacket') throw error;
    return 128;
  }
}

describe('camera accounts made under an older device role are brought up to date (real Mosquitto)', () => {
  let broker: Awaited<ReturnType<typeof startMosquitto>>;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let prisma: PrismaClient;
  let accounts: MqttAccounts;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    accounts = await MqttAccounts.connect(broker.url, broker.admin);
    await accounts.ensureIngestAccount('ingest', 'ingest-password-0123');
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await accounts.close();
    await broker.stop();
    await prisma.$disconnect();
    await db.drop();
  });

  it('an account without the command topic can hear its commands after the reconciliation, keeps its password, and still cannot publish to another meter', async () => {
    const org = await prisma.organization.create({ data: { name: 'Old Accounts', slug: `old-accounts-${randomUUID().slice(0, 8)}` } });
    const old = await createMeterWithCamera(prisma, { orgId: org.id, name: 'Old', digits: 5, decimals: 0 });
    const other = await createMeterWithCamera(prisma, { orgId: org.id, name: 'Other', digits: 5, decimals: 0 });
    const lost = await createMeterWithCamera(prisma, { orgId: org.id, name: 'Lost', digits: 5, decimals: 0 });
    // the old way: the device role as it was before the command topic existed
    const username = `device-${old.deviceId}`;
    const password = 'old-device-password-0123';
    const answers = await dynsec(broker.url, broker.admin, [
      {
        command: 'createRole',
        rolename: `metertwin-device-${old.deviceId}`,
        acls: [
          { acltype: 'publishClientSend', topic: MqttTopic.capture(old.meterId), allow: true },
          { acltype: 'subscribePattern', topic: MqttTopic.status(old.meterId), allow: true },
          { acltype: 'publishClientReceive', topic: MqttTopic.status(old.meterId), allow: true },
        ],
      },
      { command: 'createClient', username, password, roles: [{ rolename: `metertwin-device-${old.deviceId}` }] },
    ]);
    expect(answers.map((a) => a.error)).toEqual([undefined, undefined]);
    await prisma.device.update({ where: { id: old.deviceId }, data: { mqttUsername: username } });
    await provisionMqttCamera(prisma, accounts, other.deviceId);
    // the database says it has an account the broker lacks (a lost broker volume)
    await prisma.device.update({ where: { id: lost.deviceId }, data: { mqttUsername: `device-${lost.deviceId}` } });

    const before = await mqtt.connectAsync(broker.url, { username, password, reconnectPeriod: 0 });
    clients.push(before);
    expect(await grantedQos(before, MqttTopic.command(old.meterId))).toBe(128);

    expect(await reconcileMqttCameras(prisma, accounts)).toEqual({ updated: [old.deviceId], current: [other.deviceId], missing: [lost.deviceId] });
    // a second run finds nothing to do
    expect((await reconcileMqttCameras(prisma, accounts)).updated).toEqual([]);

    const device = await mqtt.connectAsync(broker.url, { username, password, reconnectPeriod: 0 });
    clients.push(device);
    expect(await grantedQos(device, MqttTopic.command(old.meterId))).toBe(1);
    expect(await grantedQos(device, MqttTopic.command(other.meterId))).toBe(128);
    const commands: string[] = [];
    device.on('message', (topic, payload) => topic === MqttTopic.command(old.meterId) && commands.push(payload.toString()));

    const ingest = await mqtt.connectAsync(broker.url, { username: 'ingest', password: 'ingest-password-0123', reconnectPeriod: 0 });
    clients.push(ingest);
    const captures: string[] = [];
    ingest.on('message', (topic) => captures.push(topic));
    await ingest.subscribeAsync('metertwin/v1/+/capture', { qos: 1 });
    await ingest.publishAsync(MqttTopic.command(old.meterId), '{"action":"capture"}', { qos: 1 });
    await waitFor(async () => commands.length === 1, { what: 'the command reaches the device' });

    await device.publishAsync(MqttTopic.capture(other.meterId), Buffer.from('not mine'), { qos: 1 });
    await device.publishAsync(MqttTopic.capture(old.meterId), Buffer.from('mine'), { qos: 1 });
    await waitFor(async () => captures.includes(MqttTopic.capture(old.meterId)), { what: "the device's own photo" });
    expect(captures).toEqual([MqttTopic.capture(old.meterId)]);
  });
});
