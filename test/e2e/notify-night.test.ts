import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@metertwin/testing';
import { createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

const MINUTE = 60_000;
const BROKER = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const SECRET = `whsec_${randomUUID()}`;

/**
 * The issue's night: a leak all night raises exactly one leak alarm, its signed webhook gets through
 * a receiver that fails twice, the valve closes over MQTT, and with the valve shut the flow stops
 * and the alarm clears. (Push, web push and Slack for the same story: notify-delivery tests.)
 */
describe('a night with a leak', () => {
  let harness: NotifyHarness;
  let receiver: Server;
  let valve: MqttClient;
  const hooks: { eventId: string; type: string; status: number; signed: boolean }[] = [];
  const valveCommands: { commandId: string; command: string }[] = [];
  let failRaised = 2;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${String(req.headers['x-metertwin-timestamp'])}.${body}`).digest('hex')}`);
        const given = Buffer.from(String(req.headers['x-metertwin-signature']));
        const event = JSON.parse(body) as { id: string; type: string };
        res.statusCode = event.type === 'alarm.raised' && failRaised-- > 0 ? 500 : 200;
        hooks.push({ eventId: event.id, type: event.type, status: res.statusCode, signed: given.length === expected.length && timingSafeEqual(given, expected) });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    harness = await startNotifyHarness({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_MS: '100', ACTUATION_TIMEOUT_MS: '5000' });
  });
  afterAll(async () => {
    await valve?.endAsync();
    await harness?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('raises one leak alarm, delivers its signed webhook through two failures, closes the valve over MQTT and clears when the flow stops', async () => {
    const { orgId, meter } = await createOrgAndMeter(harness.prisma, 'night', { timeZone: 'America/New_York' });
    const topic = `metertwin-test/night/${randomUUID()}`;
    valve = await mqtt.connectAsync(BROKER, { clientId: `night-valve-${randomUUID()}` });
    await valve.subscribeAsync(`${topic}/set`, { qos: 1 });
    valve.on('message', (_t, payload) => {
      const message = JSON.parse(payload.toString()) as { commandId: string; command: string };
      valveCommands.push(message);
      void valve.publishAsync(`${topic}/state`, JSON.stringify({ commandId: message.commandId, state: message.command === 'close' ? 'closed' : 'open' }), { qos: 1 });
    });
    const actuator = await harness.api(orgId, 'POST', '/v1/actuators', {
      meterId: meter.id,
      name: 'main shut-off valve',
      kind: 'mqtt',
      config: { url: BROKER, commandTopic: `${topic}/set`, stateTopic: `${topic}/state` },
    });
    await harness.api(orgId, 'POST', '/v1/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/night`, events: ['alarm.raised', 'alarm.cleared'], secret: SECRET });
    const rule = await harness.api(orgId, 'POST', '/v1/rules', {
      meterId: meter.id,
      type: 'continuous-flow',
      config: { hours: 3 },
      severity: 'critical',
      actions: [{ type: 'actuate', actuatorId: actuator.body.id, command: 'close' }],
    });
    expect(rule.status).toBe(201);

    // 22:00 to 04:00 New York time, every 10 minutes, a 0.02 m³/h leak (index 36 is 04:00).
    const start = Date.parse('2026-01-15T03:00:00Z');
    const valueAt = (i: number) => Number((1234.567 + (0.02 * i) / 6).toFixed(3));
    const night = await insertReadings(harness.prisma, meter.id, Array.from({ length: 37 }, (_, i) => ({ takenAt: new Date(start + i * 10 * MINUTE), value: valueAt(i) })));
    await notifyReadings(harness, meter.id, night);

    const alarms = await harness.prisma.alarm.findMany({ where: { meterId: meter.id } });
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!;
    expect(alarm).toMatchObject({ type: 'continuous-flow', severity: 'critical', status: 'active' });
    const closed = await waitFor(() => harness.prisma.actuationCommand.findFirst({ where: { actuatorId: actuator.body.id, status: 'confirmed' } }), { what: 'the valve to close' });
    expect(closed).toMatchObject({ command: 'close', alarmId: alarm.id, requestedBy: `rule:${rule.body.id}` });
    expect(valveCommands).toEqual([{ commandId: closed.id, command: 'close' }]);
    expect((await harness.prisma.actuator.findUniqueOrThrow({ where: { id: actuator.body.id } })).state).toBe('closed');

    // The valve is shut: the counter stands still from 04:10 on, and the first still interval clears the alarm.
    const after = await insertReadings(harness.prisma, meter.id, Array.from({ length: 6 }, (_, i) => ({ takenAt: new Date(start + (37 + i) * 10 * MINUTE), value: valueAt(36) })));
    await notifyReadings(harness, meter.id, after);
    expect(await harness.prisma.alarm.findUniqueOrThrow({ where: { id: alarm.id } })).toMatchObject({ status: 'cleared', clearedBy: 'system' });
    expect(await harness.prisma.alarm.count({ where: { meterId: meter.id } })).toBe(1);

    await waitFor(() => hooks.some((h) => h.type === 'alarm.cleared') && hooks.some((h) => h.type === 'alarm.raised' && h.status === 200), { what: 'both webhooks' });
    // Deliveries are not ordered between events (a retried raise may land after the clear): check each event's attempts.
    const attempts = (eventId: string) => hooks.filter((h) => h.eventId === eventId).map((h) => [h.status, h.signed]);
    expect(attempts(`alarm.raised:${alarm.id}:1`)).toEqual([[500, true], [500, true], [200, true]]);
    expect(attempts(`alarm.cleared:${alarm.id}`)).toEqual([[200, true]]);
    expect(hooks).toHaveLength(4);
    // One command for the whole night, audited from request to confirmation (after the valve's creation).
    expect(await harness.prisma.actuationCommand.count({ where: { actuatorId: actuator.body.id } })).toBe(1);
    expect((await harness.prisma.auditLog.findMany({ where: { entityId: actuator.body.id }, orderBy: { at: 'asc' } })).map((a) => a.action)).toEqual([
      'actuator.created',
      'actuation.requested',
      'actuation.confirmed',
    ]);
  });
});
