import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeAlarm } from '@metertwin/alarms';
import { LiveChannel, QueueName } from '@metertwin/contracts';
import { REDIS } from '@metertwin/service-kit';
import { waitFor } from '@metertwin/testing';
import { createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

interface Subscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): void;
  quit(): Promise<unknown>;
}

describe('alarm lifecycle: acknowledged and cleared by people, through the API or the portal\'s alarm-event job', () => {
  let harness: NotifyHarness;
  let receiver: Server;
  const hooks: { type: string; data: { alarmId: string; status: string; acknowledgedBy: string | null; clearedBy: string | null } }[] = [];
  const live: { type: string; alarmId: string; status?: string; by?: string }[] = [];
  let subscriber: Subscriber;
  let orgId: string;
  let meterId: string;
  let ruleId: string;
  const userId = randomUUID();

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    harness = await startNotifyHarness({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
    subscriber = (harness.app.get(REDIS) as { duplicate(): Subscriber }).duplicate();
    await subscriber.subscribe(LiveChannel);
    subscriber.on('message', (_channel, message) => live.push(JSON.parse(message)));
    ({ orgId, meter: { id: meterId } } = await createOrgAndMeter(harness.prisma, 'lifecycle'));
    await harness.prisma.user.create({ data: { id: userId, orgId, email: `op-${userId}@example.test`, name: 'Operator', passwordHash: 'x' } });
    ruleId = (await harness.prisma.rule.create({ data: { orgId, meterId, type: 'threshold', config: { above: 100 } } })).id;
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await harness.prisma.webhook.create({ data: { orgId, url, secret: 'whsec_test', events: ['alarm.raised', 'alarm.acknowledged', 'alarm.cleared'] } });
  });
  afterAll(async () => {
    await subscriber?.quit();
    await harness?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const raise = async () => {
    const rows = await insertReadings(harness.prisma, meterId, [{ takenAt: new Date(), value: 500 }]);
    await notifyReadings(harness, meterId, rows);
    return harness.prisma.alarm.findFirstOrThrow({ where: { ruleId, status: 'active' } });
  };
  const hooksFor = (alarmId: string) => hooks.filter((h) => h.data.alarmId === alarmId).map((h) => h.type);

  it('acknowledges and clears through the API: row, audit rows, signed webhooks and live events; a second clear is a conflict', async () => {
    const alarm = await raise();
    const acked = await harness.api(orgId, 'POST', `/v1/alarms/${alarm.id}/acknowledge`, { actorId: userId });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: userId, openKey: `${meterId}:${ruleId}` });
    expect((await harness.api(orgId, 'POST', `/v1/alarms/${alarm.id}/acknowledge`, { actorId: userId })).status).toBe(409);

    const cleared = await harness.api(orgId, 'POST', `/v1/alarms/${alarm.id}/clear`, { actorId: userId });
    expect(cleared.body).toMatchObject({ status: 'cleared', clearedBy: userId, openKey: null });
    expect((await harness.api(orgId, 'POST', `/v1/alarms/${alarm.id}/clear`, { actorId: userId })).status).toBe(409);

    await waitFor(() => hooksFor(alarm.id).length === 3, { what: 'three webhooks' });
    expect(hooksFor(alarm.id)).toEqual(['alarm.raised', 'alarm.acknowledged', 'alarm.cleared']);
    expect(hooks.find((h) => h.type === 'alarm.cleared' && h.data.alarmId === alarm.id)!.data).toMatchObject({ status: 'cleared', acknowledgedBy: userId, clearedBy: userId });
    await waitFor(() => live.filter((e) => e.alarmId === alarm.id).length === 3, { what: 'three live events' });
    expect(live.filter((e) => e.alarmId === alarm.id).map((e) => [e.type, e.status, e.by])).toEqual([
      ['alarm.raised', undefined, undefined],
      ['alarm.updated', 'acknowledged', userId],
      ['alarm.updated', 'cleared', userId],
    ]);
    const audit = await harness.prisma.auditLog.findMany({ where: { entityType: 'alarm', entityId: alarm.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType, a.actorId, a.data])).toEqual([
      ['alarm.acknowledged', 'user', userId, { from: 'active' }],
      ['alarm.cleared', 'user', userId, { from: 'acknowledged' }],
    ]);

    // Cleared by a person, the rule opens a new alarm on the next reading above the limit.
    const next = await raise();
    expect(next.id).not.toBe(alarm.id);
  });

  it("through the portal's door (the same changeAlarm, then its alarm-event job): the same audit rows, webhooks and live events as the API", async () => {
    const alarm = await raise();
    for (const change of ['acknowledged', 'cleared'] as const) {
      await changeAlarm(harness.prisma, { orgId, alarmId: alarm.id, userId, change });
      await harness.queues.add(QueueName.AlarmEvent, { v: 1, alarmId: alarm.id, event: change, actorId: userId }, { jobId: `${alarm.id}-${change}` });
    }
    // (The alarm may be a repeat of an open one: only the person's changes are compared.)
    const changes = () => hooksFor(alarm.id).filter((type) => type !== 'alarm.raised');
    await waitFor(() => changes().length === 2, { what: 'two webhooks' });
    expect(changes()).toEqual(['alarm.acknowledged', 'alarm.cleared']);
    // Both jobs may announce the acknowledgement (the second reads the row before the first has
    // recorded it): webhooks stay once by event id, the live event (a hint to refresh) may repeat.
    const updates = () => [...new Set(live.filter((e) => e.alarmId === alarm.id && e.type === 'alarm.updated').map((e) => `${e.status} ${e.by}`))];
    await waitFor(() => updates().length === 2, { what: 'two live events' });
    expect(updates()).toEqual([`acknowledged ${userId}`, `cleared ${userId}`]);
    const audit = await harness.prisma.auditLog.findMany({ where: { entityType: 'alarm', entityId: alarm.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType, a.actorId, a.data])).toEqual([
      ['alarm.acknowledged', 'user', userId, { from: 'active' }],
      ['alarm.cleared', 'user', userId, { from: 'acknowledged' }],
    ]);
    // The tests below act on an open alarm.
    await raise();
  });

  it('refuses an unknown alarm, a user of another organization and a body without an actor', async () => {
    const alarm = await harness.prisma.alarm.findFirstOrThrow({ where: { ruleId, status: 'active' } });
    expect((await harness.api(orgId, 'POST', `/v1/alarms/${randomUUID()}/acknowledge`, { actorId: userId })).status).toBe(404);
    expect((await harness.api(orgId, 'POST', `/v1/alarms/${alarm.id}/acknowledge`, { actorId: randomUUID() })).status).toBe(400);
    expect((await harness.api(orgId, 'POST', `/v1/alarms/${alarm.id}/acknowledge`, {})).status).toBe(400);
    expect((await harness.prisma.alarm.findUniqueOrThrow({ where: { id: alarm.id } })).status).toBe('active');
  });

  it('announces what the portal did when its alarm-event job arrives, and refuses a job the row does not show', async () => {
    const alarm = await harness.prisma.alarm.findFirstOrThrow({ where: { ruleId, status: 'active' } });
    // The portal's side: update the row, then queue the event.
    await harness.prisma.alarm.update({ where: { id: alarm.id }, data: { status: 'acknowledged', acknowledgedAt: new Date(), acknowledgedBy: userId } });
    await harness.queues.add(QueueName.AlarmEvent, { v: 1, alarmId: alarm.id, event: 'acknowledged', actorId: userId }, { jobId: `ack-${alarm.id}` });
    await waitFor(() => hooksFor(alarm.id).includes('alarm.acknowledged'), { what: 'the acknowledged webhook' });
    await waitFor(() => live.some((e) => e.alarmId === alarm.id && e.status === 'acknowledged'), { what: 'the live event' });

    // A cleared event for an alarm the portal did not clear fails for good, announcing nothing.
    await harness.queues.add(QueueName.AlarmEvent, { v: 1, alarmId: alarm.id, event: 'cleared', actorId: userId }, { jobId: `clear-${alarm.id}` });
    await waitFor(async () => (await harness.queues.counts(QueueName.AlarmEvent)).failed === 1, { what: 'the mismatched job to fail' });
    expect(hooksFor(alarm.id)).toEqual(['alarm.raised', 'alarm.acknowledged']);
  });
});
