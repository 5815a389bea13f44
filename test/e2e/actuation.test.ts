import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@metertwin/testing';
import { createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

const BROKER = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/**
 * A shut-off valve on the real broker: takes `{ commandId, command }` on its command topic, confirms
 * `{ commandId, state }` on its state topic, and acts once per command id (a repeat is only confirmed).
 */
async function startFakeValve(commandTopic: string, stateTopic: string) {
  const client: MqttClient = await mqtt.connectAsync(BROKER, { clientId: `fake-valve-${randomUUID()}` });
  const received: { commandId: string; command: string }[] = [];
  const acted = new Set<string>();
  let state = 'open';
  await client.subscribeAsync(commandTopic, { qos: 1 });
  client.on('message', (_topic, payload) => {
    const message = JSON.parse(payload.toString()) as { commandId: string; command: string };
    received.push(message);
    if (!acted.has(message.commandId)) {
      acted.add(message.commandId);
      state = message.command === 'close' ? 'closed' : 'open';
    }
    void client.publishAsync(stateTopic, JSON.stringify({ commandId: message.commandId, state }), { qos: 1 });
  });
  return { received, state: () => state, close: () => client.endAsync() };
}

describe('actuation over MQTT (real Mosquitto) and HTTP, from rules and by hand, audited', () => {
  let harness: NotifyHarness;
  let orgId: string;
  let meterId: string;
  const userId = randomUUID();
  let receiver: Server;
  let receiverUrl: string;
  const httpCommands: unknown[] = [];
  const httpApiKeys: (string | undefined)[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        httpCommands.push(JSON.parse(body));
        httpApiKeys.push(req.headers['x-api-key'] as string | undefined);
        if (req.url === '/broken') res.statusCode = 400;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ state: 'closed' }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    harness = await startNotifyHarness({ ACTUATION_TIMEOUT_MS: '1500', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
    ({ orgId, meter: { id: meterId } } = await createOrgAndMeter(harness.prisma, 'valves'));
    await harness.prisma.user.create({ data: { id: userId, orgId, email: `op-${userId}@example.test`, name: 'Operator', passwordHash: 'x' } });
  });
  afterAll(async () => {
    await harness?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const mqttActuator = async (name: string) => {
    const topic = `metertwin-test/${randomUUID()}`;
    const res = await harness.api(orgId, 'POST', '/v1/actuators', {
      meterId,
      name,
      kind: 'mqtt',
      config: { url: BROKER, commandTopic: `${topic}/set`, stateTopic: `${topic}/state` },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, commandTopic: `${topic}/set`, stateTopic: `${topic}/state` };
  };
  const commandDone = (actuatorId: string, commandId: string) =>
    waitFor(async () => {
      const c = (await harness.api(orgId, 'GET', `/v1/actuators/${actuatorId}/commands/${commandId}`)).body;
      return c.status !== 'pending' && c.status !== 'sent' && c;
    }, { what: `command ${commandId} to finish` });

  it('closes the valve when a leak rule raises: command row first, QoS 1 publish with the command id, confirmation on the state topic', async () => {
    const valve = await mqttActuator('main valve');
    const device = await startFakeValve(valve.commandTopic, valve.stateTopic);
    try {
      const rule = await harness.api(orgId, 'POST', '/v1/rules', {
        meterId,
        type: 'threshold',
        config: { above: 100 },
        severity: 'critical',
        actions: [{ type: 'actuate', actuatorId: valve.id, command: 'close' }, { type: 'actuate', actuatorId: valve.id, command: 'open', on: 'clear' }],
      });
      expect(rule.status).toBe(201);
      const now = Date.now();
      const rows = await insertReadings(harness.prisma, meterId, [
        { takenAt: new Date(now - 3000), value: 150 },
        { takenAt: new Date(now - 2000), value: 160 },
      ]);
      await notifyReadings(harness, meterId, rows);
      const alarm = await harness.prisma.alarm.findFirstOrThrow({ where: { meterId, ruleId: rule.body.id } });
      expect(alarm.count).toBe(2);
      // Two raises of one alarm: one command.
      const command = await waitFor(() => harness.prisma.actuationCommand.findFirst({ where: { actuatorId: valve.id, status: 'confirmed' } }), {
        what: 'the valve to confirm',
      });
      expect(command).toMatchObject({ command: 'close', alarmId: alarm.id, requestedBy: `rule:${rule.body.id}` });
      expect(command.sentAt).not.toBeNull();
      expect(await harness.prisma.actuationCommand.count({ where: { actuatorId: valve.id } })).toBe(1);
      expect(device.received).toEqual([{ commandId: command.id, command: 'close' }]);
      expect(device.state()).toBe('closed');
      expect((await harness.prisma.actuator.findUniqueOrThrow({ where: { id: valve.id } })).state).toBe('closed');
      const audit = await harness.prisma.auditLog.findMany({ where: { entityType: 'actuator', entityId: valve.id }, orderBy: { at: 'asc' } });
      expect(audit.map((a) => a.action)).toEqual(['actuator.created', 'actuation.requested', 'actuation.confirmed']);

      // The rule clears (value back under the limit): its `clear` action reopens the valve.
      const back = await insertReadings(harness.prisma, meterId, [{ takenAt: new Date(now - 1000), value: 90 }]);
      await notifyReadings(harness, meterId, back);
      const reopen = await waitFor(() => harness.prisma.actuationCommand.findFirst({ where: { actuatorId: valve.id, command: 'open', status: 'confirmed' } }), {
        what: 'the valve to reopen',
      });
      expect(reopen.alarmId).toBe(alarm.id);
      expect(device.state()).toBe('open');
      await harness.api(orgId, 'DELETE', `/v1/rules/${rule.body.id}`);
    } finally {
      await device.close();
    }
  });

  it('records a timeout when no device answers on the state topic, and does not retry it', async () => {
    const valve = await mqttActuator('unplugged valve');
    const sent = await harness.api(orgId, 'POST', `/v1/actuators/${valve.id}/commands`, { command: 'close', actorId: userId });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ status: 'pending', requestedBy: `user:${userId}` });
    const done = await commandDone(valve.id, sent.body.id);
    expect(done).toMatchObject({ status: 'timeout', confirmedAt: null });
    expect(done.error).toMatch(/no confirmation on .*\/state within 1500 ms/);
    const audit = await harness.prisma.auditLog.findMany({ where: { entityId: valve.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType, a.actorId])).toEqual([
      ['actuator.created', 'api-key', expect.any(String)],
      ['actuation.requested', 'user', userId],
      ['actuation.timeout', 'user', userId],
    ]);
  });

  it('leaves an overridden actuator alone when a rule raises, audits that, and still takes a manual command', async () => {
    const valve = await mqttActuator('overridden valve');
    const device = await startFakeValve(valve.commandTopic, valve.stateTopic);
    try {
      const until = new Date(Date.now() + 3_600_000).toISOString();
      const overridden = await harness.api(orgId, 'PUT', `/v1/actuators/${valve.id}/override`, { until, actorId: userId });
      expect(overridden.body.overrideUntil).toBe(until);
      const { meter } = await createOrgAndMeter(harness.prisma, `override-${randomUUID().slice(0, 8)}`);
      await harness.prisma.meter.update({ where: { id: meter.id }, data: { orgId } });
      await harness.prisma.rule.create({
        data: { orgId, meterId: meter.id, type: 'threshold', config: { above: 1 }, actions: [{ type: 'actuate', actuatorId: valve.id, command: 'close' }] },
      });
      await notifyReadings(harness, meter.id, await insertReadings(harness.prisma, meter.id, [{ takenAt: new Date(), value: 5 }]));
      expect(await harness.prisma.alarm.count({ where: { meterId: meter.id, status: 'active' } })).toBe(1);
      expect(await harness.prisma.actuationCommand.count({ where: { actuatorId: valve.id } })).toBe(0);
      const audit = await harness.prisma.auditLog.findMany({ where: { entityId: valve.id }, orderBy: { at: 'asc' } });
      expect(audit.map((a) => a.action)).toEqual(['actuator.created', 'actuator.override.set', 'actuation.skipped']);
      expect(audit[2]!.data).toMatchObject({ command: 'close', reason: `manual override until ${until}` });

      const manual = await harness.api(orgId, 'POST', `/v1/actuators/${valve.id}/commands`, { command: 'close', actorId: userId });
      expect(await commandDone(valve.id, manual.body.id)).toMatchObject({ status: 'confirmed' });
      expect(device.received.map((m) => m.commandId)).toEqual([manual.body.id]);
      const lifted = await harness.api(orgId, 'PUT', `/v1/actuators/${valve.id}/override`, { until: null, actorId: userId });
      expect(lifted.body.overrideUntil).toBeNull();
    } finally {
      await device.close();
    }
  });

  it('commands an HTTP actuator through the SSRF guard: 2xx confirms with the reported state, 4xx fails without retry', async () => {
    const created = await harness.api(orgId, 'POST', '/v1/actuators', {
      name: 'pump relay',
      kind: 'http',
      config: { url: `${receiverUrl}/relay`, headers: { 'x-api-key': 'relay-key-123' } },
    });
    // The device's API key is stored sealed and never answered back.
    expect(created.body.config.headers).toEqual({ 'x-api-key': '[sealed]' });
    const row = await harness.prisma.actuator.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(row.config)).not.toContain('relay-key-123');
    expect(JSON.stringify((await harness.api(orgId, 'GET', `/v1/actuators`)).body)).not.toContain('relay-key-123');
    const ok = await harness.api(orgId, 'POST', `/v1/actuators/${created.body.id}/commands`, { command: 'close', actorId: userId });
    expect(await commandDone(created.body.id, ok.body.id)).toMatchObject({ status: 'confirmed' });
    expect(httpCommands).toContainEqual({ commandId: ok.body.id, actuatorId: created.body.id, command: 'close' });
    expect(httpApiKeys.at(-1)).toBe('relay-key-123');
    expect((await harness.prisma.actuator.findUniqueOrThrow({ where: { id: created.body.id } })).state).toBe('closed');

    const broken = await harness.api(orgId, 'POST', '/v1/actuators', { name: 'broken relay', kind: 'http', config: { url: `${receiverUrl}/broken` } });
    const refused = await harness.api(orgId, 'POST', `/v1/actuators/${broken.body.id}/commands`, { command: 'close', actorId: userId });
    expect(await commandDone(broken.body.id, refused.body.id)).toMatchObject({ status: 'failed', error: 'actuator answered HTTP 400' });
    expect(httpCommands.filter((c) => (c as { commandId: string }).commandId === refused.body.id)).toHaveLength(1);

    // Outside the organization's outbound policy: refused before anything is sent, HTTP and MQTT alike.
    const refusedActuators = [
      ['http', { url: 'http://169.254.169.254/latest' }, 'refused: 169.254.169.254 is a cloud metadata address which the platform never connects to'],
      ['mqtt', { url: 'mqtt://169.254.169.254:1883', commandTopic: 'v/cmd', stateTopic: 'v/state' }, 'refused: 169.254.169.254 is a cloud metadata address which the platform never connects to'],
      ['http', { url: 'http://10.77.0.9/valve' }, "refused: 10.77.0.9 is a private address outside the organization's device networks (an admin can add the camera's network under Settings)"],
    ] as const;
    for (const [kind, config, error] of refusedActuators) {
      const internal = await harness.api(orgId, 'POST', '/v1/actuators', { name: `refused ${config.url}`, kind, config });
      const blocked = await harness.api(orgId, 'POST', `/v1/actuators/${internal.body.id}/commands`, { command: 'close', actorId: userId });
      expect(await commandDone(internal.body.id, blocked.body.id)).toMatchObject({ status: 'failed', error });
    }
  });

  it('refuses an actuator with a broken config or kind', async () => {
    const res = await harness.api(orgId, 'POST', '/v1/actuators', { name: 'x', kind: 'mqtt', config: { url: BROKER, commandTopic: 'a/#', stateTopic: 'b' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/wildcards/);
    expect((await harness.api(orgId, 'POST', '/v1/actuators', { name: 'x', kind: 'zigbee', config: {} })).status).toBe(400);
  });
});
