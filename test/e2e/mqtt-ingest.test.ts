import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import mqtt, { type MqttClient } from 'mqtt';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentConfigSchema, CameraAgent, Spool } from '@metertwin/camera-agent';
import { MqttTopic, QueueName, type MqttCaptureStatus } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { startIngest } from '@metertwin/ingest';
import { requestSnapshot } from '@metertwin/meters';
import { QueueService } from '@metertwin/service-kit';
import { MqttAccounts, provisionMqttCamera, revokeMqttCamera, type DeviceAccount } from '@metertwin/mqtt-accounts';
import { createTestDatabase, waitFor, type TestDatabase, serviceTestEnv } from '@metertwin/testing';
import { fakeCamera } from './fake-camera.js';
import { startMosquitto } from './mosquitto-server.js';

const photo = (n: number) =>
  sharp({ create: { width: 96, height: 64, channels: 3, background: { r: (n * 41) % 256, g: (n * 83) % 256, b: (n * 29) % 256 } } }).jpeg().toBuffer();

describe('photos published over MQTT (real Mosquitto with dynamic security)', () => {
  let broker: Awaited<ReturnType<typeof startMosquitto>>;
  let accounts: MqttAccounts;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  const ingests: INestApplication[] = [];
  const meters: { meterId: string; deviceId: string; account: DeviceAccount }[] = [];
  const devices: MqttClient[] = [];

  /** A device connected with its own account, collecting what ingest answers on its status topic. */
  async function device(account: DeviceAccount, meterId: string) {
    const client = await mqtt.connectAsync(broker.url, { ...account, protocolVersion: 5, reconnectPeriod: 0 });
    devices.push(client);
    const statuses: (MqttCaptureStatus & { correlation?: string })[] = [];
    client.on('message', (_topic, payload, packet) =>
      statuses.push({ ...(JSON.parse(payload.toString()) as MqttCaptureStatus), correlation: packet.properties?.correlationData?.toString() }),
    );
    await client.subscribeAsync(MqttTopic.status(meterId), { qos: 1 });
    return { client, statuses };
  }

  /** Two ingest replicas in one shared-subscription group. */
  async function startIngestReplicas() {
    const env = serviceTestEnv(db.url, storageDir, { MQTT_URL: broker.url, MQTT_USERNAME: 'ingest', MQTT_PASSWORD: 'ingest-password-0123' });
    for (const replica of ['a', 'b']) ingests.push(await startIngest({ ...env, MQTT_CLIENT_ID: `ingest-${replica}` }, { handleSignals: false }));
  }

  beforeAll(async () => {
    broker = await startMosquitto();
    accounts = await MqttAccounts.connect(broker.url, broker.admin);
    await accounts.ensureIngestAccount('ingest', 'ingest-password-0123');
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(join(tmpdir(), 'metertwin-mqtt-captures-'));
    const org = await prisma.organization.create({ data: { name: 'MQTT Co', slug: 'mqtt-co' } });
    for (const name of ['Cellar', 'Attic']) {
      const { meterId, deviceId } = await createMeterWithCamera(prisma, { orgId: org.id, name, digits: 5, decimals: 0 });
      meters.push({ meterId, deviceId, account: await provisionMqttCamera(prisma, accounts, deviceId) });
    }
    await startIngestReplicas();
    await new Promise((r) => setTimeout(r, 500)); // both subscribed
  });
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.endAsync()));
    await Promise.all(ingests.map((app) => app.close()));
    await accounts.close();
    await broker.stop();
    await prisma.$disconnect();
    await db.drop();
    await rm(storageDir, { recursive: true, force: true });
  });

  it('stores each photo once, with its own time, through two replicas sharing the subscription, and answers on the status topic', async () => {
    const [{ meterId, account }] = meters as [(typeof meters)[0]];
    const { client, statuses } = await device(account, meterId);
    const takenAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    for (let i = 0; i < 10; i++) {
      const at = new Date(takenAt.getTime() + i * 60_000).toISOString();
      await client.publishAsync(MqttTopic.capture(meterId), await photo(i), { qos: 1, properties: { userProperties: { taken_at: at } } });
    }
    // a JSON envelope, and the first photo again
    const envelopeAt = new Date(takenAt.getTime() + 10 * 60_000).toISOString();
    await client.publishAsync(MqttTopic.capture(meterId), JSON.stringify({ image: (await photo(10)).toString('base64'), taken_at: envelopeAt }), { qos: 1 });
    await client.publishAsync(MqttTopic.capture(meterId), await photo(0), { qos: 1 });

    await waitFor(async () => statuses.length >= 12, { what: '12 status messages' });
    const captures = await prisma.capture.findMany({ where: { meterId }, orderBy: { takenAt: 'asc' } });
    expect(captures).toHaveLength(11);
    expect(captures.every((c) => c.source === 'mqtt')).toBe(true);
    expect(captures.map((c) => c.takenAt.getTime())).toEqual(Array.from({ length: 11 }, (_, i) => takenAt.getTime() + i * 60_000));
    expect(statuses.filter((s) => s.ok && !s.duplicate)).toHaveLength(11);
    expect(statuses.filter((s) => s.ok && s.duplicate)).toHaveLength(1);
  });

  it('refuses a corrupt photo, a bad time and a malformed envelope with the reason, and stores nothing for them', async () => {
    const [{ meterId, account }] = meters as [(typeof meters)[0]];
    const { client, statuses } = await device(account, meterId);
    const before = await prisma.capture.count({ where: { meterId } });
    const sent: [string, Buffer | string, Record<string, string>?][] = [
      ['corrupt', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 3)])],
      ['future', await photo(50), { taken_at: '2999-01-01T00:00:00Z' }],
      ['envelope', '{"image": 5}'],
      ['text', 'hello'],
    ];
    for (const [name, payload, userProperties] of sent) {
      const properties = { correlationData: Buffer.from(name), ...(userProperties ? { userProperties } : {}) };
      await client.publishAsync(MqttTopic.capture(meterId), payload, { qos: 1, properties });
    }
    await waitFor(async () => statuses.length >= 4, { what: '4 status messages' });
    const answer = Object.fromEntries(statuses.map((s) => [s.correlation, s]));
    expect(answer).toMatchObject({
      corrupt: { ok: false, status: 422 },
      future: { ok: false, status: 400, error: expect.stringMatching(/taken_at is in the future/) },
      envelope: { ok: false, status: 400, error: expect.stringMatching(/^not a capture envelope: image/) },
      text: { ok: false, status: 422 },
    });
    expect(await prisma.capture.count({ where: { meterId } })).toBe(before);
  });

  it('refuses the photos of an archived meter with 410 and the reason, and takes them again once it is back in service', async () => {
    const [{ meterId, account }] = meters as [(typeof meters)[0]];
    const { client, statuses } = await device(account, meterId);
    const before = await prisma.capture.count({ where: { meterId } });
    await prisma.meter.update({ where: { id: meterId }, data: { archivedAt: new Date() } });
    await client.publishAsync(MqttTopic.capture(meterId), await photo(60), { qos: 1, properties: { correlationData: Buffer.from('archived') } });
    await waitFor(async () => statuses.some((s) => s.correlation === 'archived'), { what: "the archived meter's answer" });
    expect(statuses.find((s) => s.correlation === 'archived')).toMatchObject({
      ok: false,
      status: 410,
      error: `meter ${meterId} is archived: it takes no photos until it is unarchived in the portal`,
    });
    expect(await prisma.capture.count({ where: { meterId } })).toBe(before);

    await prisma.meter.update({ where: { id: meterId }, data: { archivedAt: null } });
    await client.publishAsync(MqttTopic.capture(meterId), await photo(61), { qos: 1, properties: { correlationData: Buffer.from('in service') } });
    await waitFor(async () => statuses.some((s) => s.correlation === 'in service'), { what: 'the answer once back in service' });
    expect(statuses.find((s) => s.correlation === 'in service')).toMatchObject({ ok: true });
    expect(await prisma.capture.count({ where: { meterId } })).toBe(before + 1);
  });

  it("a device can publish only to its own meter's topic, and a revoked account cannot connect", async () => {
    const [own, other] = meters as [(typeof meters)[0], (typeof meters)[0]];
    const { client } = await device(own.account, own.meterId);
    const before = await prisma.capture.count({ where: { meterId: other.meterId } });
    // the broker refuses the publish (MQTT 5 PUBACK "not authorized"); nothing reaches ingest
    await expect(client.publishAsync(MqttTopic.capture(other.meterId), await photo(99), { qos: 1 })).rejects.toThrow(/135|[Nn]ot authorized/);
    await expect(client.subscribeAsync(MqttTopic.status(other.meterId), { qos: 1 })).rejects.toThrow(/Not authorized/);
    await new Promise((r) => setTimeout(r, 300));
    expect(await prisma.capture.count({ where: { meterId: other.meterId } })).toBe(before);

    await revokeMqttCamera(prisma, accounts, other.deviceId);
    await expect(mqtt.connectAsync(broker.url, { ...other.account, protocolVersion: 5, reconnectPeriod: 0 })).rejects.toThrow(/[Bb]ad user name or password|[Nn]ot authorized|134|135/);
    expect((await prisma.device.findUniqueOrThrow({ where: { id: other.deviceId } })).mqttUsername).toBeNull();
  });

  it('takes the camera agent\'s photos over MQTT in order with their times, keeps them while ingest is away, sets a refused one aside', async () => {
    const org = await prisma.organization.create({ data: { name: 'Agent over MQTT', slug: 'agent-mqtt' } });
    const { meterId, deviceId } = await createMeterWithCamera(prisma, { orgId: org.id, name: 'Boiler room', digits: 5, decimals: 0 });
    const account = await provisionMqttCamera(prisma, accounts, deviceId);
    const camera = await fakeCamera(join(storageDir, 'agent-frames'));
    const config = AgentConfigSchema.parse({
      meterId,
      mqtt: { url: broker.url, ...account },
      capture: { command: camera.command },
      spool: { dir: join(storageDir, 'agent-spool') },
      timeoutMs: 2000,
    });
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    let clock = start;
    const agent = new CameraAgent(config, await Spool.open(config.spool.dir, config.spool.maxPhotos), () => {}, () => new Date(clock));
    try {
      await camera.prepare(2, 0);
      for (let i = 0; i < 2; i++, clock += 60_000) await agent.takePhoto();
      await agent.flush();
      expect((await agent.health()).waiting).toBe(0);

      // ingest away: photos wait on disk, the agent backs off
      const stopped = ingests.splice(0);
      await Promise.all(stopped.map((app) => app.close()));
      await camera.prepare(2, 2);
      for (let i = 0; i < 2; i++, clock += 60_000) await agent.takePhoto();
      await agent.flush();
      expect(await agent.health()).toMatchObject({ waiting: 2, status: 'degraded', lastError: expect.stringMatching(/no answer from the platform/) });

      await startIngestReplicas();
      // a corrupt photo after them: refused for good and set aside
      await writeFile(join(storageDir, 'agent-frames', '0009.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]));
      await agent.takePhoto();
      await waitFor(async () => {
        await agent.flush().catch(() => {});
        return (await agent.health()).waiting === 0;
      }, { what: 'the waiting photos sent', timeoutMs: 30_000 });

      const captures = await prisma.capture.findMany({ where: { meterId }, orderBy: { receivedAt: 'asc' } });
      expect(captures.map((c) => [c.source, c.takenAt.getTime()])).toEqual([0, 1, 2, 3].map((i) => ['mqtt', start + i * 60_000]));
      expect(await agent.health()).toMatchObject({ rejected: 1, waiting: 0 });
    } finally {
      await agent.stop();
    }
  });
});

describe('"take a photo now" for the camera agent over MQTT (real Mosquitto with dynamic security)', () => {
  it("ingest publishes the photo command on the meter's command topic; the agent takes a photo and sends it", async () => {
    const broker = await startMosquitto();
    const accounts = await MqttAccounts.connect(broker.url, broker.admin);
    await accounts.ensureIngestAccount('ingest', 'ingest-password-0123');
    const db = await createTestDatabase();
    const prisma = createPrismaClient(db.url);
    const storageDir = await mkdtemp(join(tmpdir(), 'metertwin-mqtt-command-'));
    const ingest = await startIngest(
      serviceTestEnv(db.url, storageDir, { MQTT_URL: broker.url, MQTT_USERNAME: 'ingest', MQTT_PASSWORD: 'ingest-password-0123' }),
      { handleSignals: false },
    );
    const org = await prisma.organization.create({ data: { name: 'Photo on demand', slug: 'photo-on-demand' } });
    const { meterId, deviceId } = await createMeterWithCamera(prisma, { orgId: org.id, name: 'Pump room', digits: 5, decimals: 0 });
    const camera = await fakeCamera(join(storageDir, 'frames'));
    await camera.prepare(2, 0);
    const config = AgentConfigSchema.parse({
      meterId,
      mqtt: { url: broker.url, ...(await provisionMqttCamera(prisma, accounts, deviceId)) },
      capture: { command: camera.command },
      spool: { dir: join(storageDir, 'spool') },
      // the schedule's next photo is an hour away: the second photo can only be the one asked for
      intervalSec: 3600,
      timeoutMs: 5000,
    });
    const agent = new CameraAgent(config, await Spool.open(config.spool.dir, config.spool.maxPhotos));
    const photos = () => prisma.capture.findMany({ where: { meterId }, orderBy: { receivedAt: 'asc' } });
    try {
      agent.start();
      await waitFor(async () => (await photos()).length === 1, { what: "the agent's first photo", timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 500)); // its command subscription is made beside the first photo

      // what the portal's button does: the same camera-pull job, which ingest turns into the command
      const queues = ingest.get(QueueService);
      await requestSnapshot(prisma, org.id, meterId, deviceId, (job) => queues.add(QueueName.CameraPull, job, { jobId: `${deviceId}-now-${Date.now()}`, attempts: 1 }));
      const both = await waitFor(async () => {
        const found = await photos();
        return found.length === 2 ? found : undefined;
      }, { what: 'the photo asked for', timeoutMs: 20_000 });
      expect(both.map((c) => c.source)).toEqual(['mqtt', 'mqtt']);
      expect(both[0]!.sha256).not.toBe(both[1]!.sha256);
      // ingest stores the photo before the broker acknowledges it to the agent, which then empties its spool
      const health = await waitFor(async () => {
        const h = await agent.health();
        return h.waiting === 0 ? h : undefined;
      }, { what: 'the agent to be done with its spool', timeoutMs: 10_000 });
      expect(health).toMatchObject({ waiting: 0, cameraFailures: 0 });
    } finally {
      await agent.stop();
      await ingest.close();
      await accounts.close();
      await broker.stop();
      await prisma.$disconnect();
      await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});

describe('MQTT photos under back-pressure', () => {
  it('refuses a photo with 503 and retry while the pipeline is further behind than MAX_QUEUE_DEPTH, storing nothing', async () => {
    const broker = await startMosquitto();
    const accounts = await MqttAccounts.connect(broker.url, broker.admin);
    await accounts.ensureIngestAccount('ingest', 'ingest-password-0123');
    const db = await createTestDatabase();
    const prisma = createPrismaClient(db.url);
    const storageDir = await mkdtemp(join(tmpdir(), 'metertwin-mqtt-busy-'));
    // no preprocess runs: the photos taken in wait in its queue, as when the pipeline falls behind
    const env = serviceTestEnv(db.url, storageDir, { MQTT_URL: broker.url, MQTT_USERNAME: 'ingest', MQTT_PASSWORD: 'ingest-password-0123', MAX_QUEUE_DEPTH: '2' });
    const ingest = await startIngest(env, { handleSignals: false });
    const client = await (async () => {
      const org = await prisma.organization.create({ data: { name: 'Busy', slug: 'busy' } });
      const { meterId, deviceId } = await createMeterWithCamera(prisma, { orgId: org.id, name: 'Busy', digits: 5, decimals: 0 });
      const account = await provisionMqttCamera(prisma, accounts, deviceId);
      const device = await mqtt.connectAsync(broker.url, { ...account, protocolVersion: 5, reconnectPeriod: 0 });
      return { device, meterId };
    })();
    try {
      const statuses: MqttCaptureStatus[] = [];
      client.device.on('message', (_topic, payload) => statuses.push(JSON.parse(payload.toString()) as MqttCaptureStatus));
      await client.device.subscribeAsync(MqttTopic.status(client.meterId), { qos: 1 });
      await new Promise((r) => setTimeout(r, 500)); // ingest subscribed
      for (let i = 0; i < 3; i++) {
        await client.device.publishAsync(MqttTopic.capture(client.meterId), await photo(200 + i), { qos: 1 });
        await waitFor(async () => statuses.length === i + 1, { what: `status ${i + 1}` });
      }
      expect(statuses.map((s) => (s.ok ? 'ok' : `${s.status} retry ${s.retry}`))).toEqual(['ok', 'ok', '503 retry true']);
      expect(statuses[2]).toMatchObject({ error: expect.stringMatching(/2 photos are waiting to be read/) });
      expect(await prisma.capture.count({ where: { meterId: client.meterId } })).toBe(2);
    } finally {
      await client.device.endAsync();
      await ingest.close();
      await accounts.close();
      await broker.stop();
      await prisma.$disconnect();
      await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});
