import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { waitFor } from '@metertwin/testing';
import { refuseWrites } from './db-faults.js';
import { createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';
import { startReceiver } from './receiver.js';

/**
 * An alarm job that dies between changing the alarm and announcing it (issue 15, item 12): the crash
 * is Postgres refusing the next write of a real notify worker's job, so the job fails for good there.
 */
describe('alarm announcements survive a job dying half-way', () => {
  let harness: NotifyHarness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    harness = await startNotifyHarness({
      RECONCILE_MS: '200',
      RECONCILE_AFTER_MS: '500',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await receiver?.close();
  });

  /**
   * A meter whose threshold rule closes its valve when it raises and opens it when it clears, a
   * webhook for every alarm event, and an open alarm: the leak was seen, announced, the valve closed.
   */
  async function leakingMeter(slug: string) {
    const { orgId, meter } = await createOrgAndMeter(harness.prisma, slug);
    const valve = await harness.prisma.actuator.create({ data: { orgId, name: 'valve', kind: 'http', config: { url: `${receiver.url}/${slug}/valve` } } });
    await harness.prisma.webhook.create({
      data: { orgId, url: `${receiver.url}/${slug}/hooks`, secret: 'whsec_test', events: ['alarm.raised', 'alarm.acknowledged', 'alarm.cleared'] },
    });
    const rule = await harness.prisma.rule.create({
      data: {
        orgId,
        meterId: meter.id,
        type: 'threshold',
        config: { above: 1000 },
        severity: 'critical',
        actions: [
          { type: 'actuate', actuatorId: valve.id, command: 'close' },
          { type: 'actuate', actuatorId: valve.id, command: 'open', on: 'clear' },
        ],
      },
    });
    const start = Date.now() - 60 * 60_000;
    await notifyReadings(harness, meter.id, await insertReadings(harness.prisma, meter.id, [{ takenAt: new Date(start), value: 1234 }]));
    const alarm = await harness.prisma.alarm.findFirstOrThrow({ where: { ruleId: rule.id } });
    await waitFor(() => receiver.to(`/${slug}/valve`).length === 1 && receiver.to(`/${slug}/hooks`).length === 1, { what: 'the valve closed and alarm.raised delivered' });
    const events = () => receiver.to(`/${slug}/hooks`).map((r) => r.body.type);
    const commands = () => receiver.to(`/${slug}/valve`).map((r) => r.body.command);
    return { meterId: meter.id, alarm, valveId: valve.id, start, events, commands };
  }

  /** A reading below the threshold, whose notify job (one attempt) clears the alarm and then dies. */
  async function clearAndDie(meterId: string, start: number, release: () => Promise<void>) {
    const [reading] = await insertReadings(harness.prisma, meterId, [{ takenAt: new Date(start + 10 * 60_000), value: 1234.5 - 1000 }]);
    const id = jobId.notify(reading!.id);
    const queue = harness.queues.get(QueueName.Notify);
    try {
      await harness.queues.add(QueueName.Notify, { v: 1, readingId: reading!.id, meterId, captureId: reading!.captureId }, { jobId: id, attempts: 1 });
      const job = await waitFor(async () => ((await queue.getJobState(id)) === 'failed' ? queue.getJob(id) : null), { what: 'the notify job to die' });
      expect(job!.failedReason).toMatch(/injected fault/);
    } finally {
      await release();
    }
  }

  /** Several reconcile passes later, nothing more was sent. */
  const settle = () => new Promise((r) => setTimeout(r, 2_000));

  it('announces the clear and reopens the valve once when the job died between clearing and announcing', async () => {
    const leak = await leakingMeter('died-before-announcing');
    // The clear is committed; the announcement's first write (the alarm.cleared webhook delivery) is refused.
    await clearAndDie(leak.meterId, leak.start, await refuseWrites(harness.prisma, 'WebhookDelivery', `NEW.event = 'alarm.cleared'`));
    expect((await harness.prisma.alarm.findUniqueOrThrow({ where: { id: leak.alarm.id } })).status).toBe('cleared');

    await waitFor(() => leak.events().includes('alarm.cleared') && leak.commands().includes('open'), {
      what: 'alarm.cleared to be delivered and the valve opened',
      timeoutMs: 10_000,
    });
    await settle();
    expect(leak.events()).toEqual(['alarm.raised', 'alarm.cleared']);
    expect(leak.commands()).toEqual(['close', 'open']);
    const open = await harness.prisma.actuationCommand.findFirstOrThrow({ where: { actuatorId: leak.valveId, command: 'open' } });
    expect(open).toMatchObject({ status: 'confirmed', requestedBy: expect.stringMatching(/^rule:/), alarmId: leak.alarm.id });
    expect(await harness.prisma.webhookDelivery.count({ where: { event: 'alarm.cleared', eventId: `alarm.cleared:${leak.alarm.id}` } })).toBe(1);
  });

  it('announces once when the job died after announcing and acting, before recording it', async () => {
    const leak = await leakingMeter('died-after-acting');
    // Everything is sent, then recording that it was is refused.
    await clearAndDie(leak.meterId, leak.start, await refuseWrites(harness.prisma, 'Alarm', `NEW.announced = 'cleared'`));
    expect(leak.events()).toEqual(['alarm.raised', 'alarm.cleared']);

    await waitFor(async () => (await harness.prisma.alarm.findUniqueOrThrow({ where: { id: leak.alarm.id } })).announced === 'cleared', {
      what: 'the reconciler to finish the announcement',
      timeoutMs: 10_000,
    });
    await settle();
    expect(leak.events()).toEqual(['alarm.raised', 'alarm.cleared']);
    expect(leak.commands()).toEqual(['close', 'open']);
  });

  it('announces an acknowledgement whose alarm-event job was lost', async () => {
    const leak = await leakingMeter('lost-alarm-event');
    const { orgId } = await harness.prisma.meter.findUniqueOrThrow({ where: { id: leak.meterId } });
    const user = await harness.prisma.user.create({ data: { orgId, email: `op-${randomUUID()}@example.test`, name: 'Operator', passwordHash: 'x' } });
    // What the portal writes when Redis does not take its alarm-event job: the row, and nothing queued.
    await harness.prisma.alarm.update({ where: { id: leak.alarm.id }, data: { status: 'acknowledged', acknowledgedAt: new Date(), acknowledgedBy: user.id } });

    await waitFor(() => leak.events().includes('alarm.acknowledged'), { what: 'alarm.acknowledged to be delivered', timeoutMs: 10_000 });
    await settle();
    expect(leak.events()).toEqual(['alarm.raised', 'alarm.acknowledged']);
    const acknowledged = leak.events().indexOf('alarm.acknowledged');
    expect(receiver.to(`/lost-alarm-event/hooks`)[acknowledged]!.body.data).toMatchObject({ status: 'acknowledged', acknowledgedBy: user.id });
    // A person's acknowledgement commands nothing.
    expect(leak.commands()).toEqual(['close']);
  });
});
