import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { waitFor } from '@metertwin/testing';
import { refuseWrites } from './db-faults.js';
import { createOrgAndMeter, insertReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';
import { startReceiver } from './receiver.js';

describe('the reconciler in notify drives stranded readings, notifications and actuation commands on', () => {
  let harness: NotifyHarness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    harness = await startNotifyHarness({
      RECONCILE_MS: '200',
      RECONCILE_AFTER_MS: '500',
      NOTIFY_MAX_ATTEMPTS: '1',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await receiver?.close();
  });

  /** A meter whose threshold rule raises on any reading above 1000. */
  async function meterWithRule(slug: string) {
    const { orgId, meter } = await createOrgAndMeter(harness.prisma, slug);
    const rule = await harness.prisma.rule.create({ data: { orgId, meterId: meter.id, type: 'threshold', config: { above: 1000 }, severity: 'major' } });
    return { orgId, meterId: meter.id, rule };
  }

  it('evaluates a reading whose notify job was lost', async () => {
    const { meterId, rule } = await meterWithRule('lost-notify');
    // Stored as recognize stores it; the notify job never made it to Redis.
    const [reading] = await insertReadings(harness.prisma, meterId, [{ takenAt: new Date(), value: 1234 }]);

    await waitFor(async () => (await harness.prisma.reading.findUniqueOrThrow({ where: { id: reading!.id } })).notifiedAt, {
      what: 'the reconciler to have the reading evaluated',
      timeoutMs: 10_000,
    });
    expect((await harness.prisma.alarm.findFirstOrThrow({ where: { ruleId: rule.id } })).readingId).toBe(reading!.id);
  });

  it('retries a reading whose notify job failed for good once the database takes writes again', async () => {
    const { meterId, rule } = await meterWithRule('failed-notify');
    const [reading] = await insertReadings(harness.prisma, meterId, [{ takenAt: new Date(), value: 1234 }]);
    const release = await refuseWrites(harness.prisma, 'Alarm');
    const id = jobId.notify(reading!.id);
    try {
      await harness.queues.add(QueueName.Notify, { v: 1, readingId: reading!.id, meterId, captureId: reading!.captureId }, { jobId: id, attempts: 1 });
      const job = await waitFor(async () => ((await harness.queues.get(QueueName.Notify).getJobState(id)) === 'failed' ? harness.queues.get(QueueName.Notify).getJob(id) : null), {
        what: 'the notify job to fail',
      });
      expect(job!.failedReason).toMatch(/injected fault/);
    } finally {
      await release();
    }

    const alarm = await waitFor(() => harness.prisma.alarm.findFirst({ where: { ruleId: rule.id } }), {
      what: 'the reconciler to retry the failed notify job',
      timeoutMs: 10_000,
    });
    expect(alarm.readingId).toBe(reading!.id);
  });

  it('sends a notification whose delivery job failed before its outcome was recorded', async () => {
    const { orgId, meterId, rule } = await meterWithRule('failed-delivery');
    await harness.prisma.slackChannel.create({ data: { orgId, name: '#ops', webhookUrl: `${receiver.url}/slack/failed-delivery`, minSeverity: 'major' } });
    // Slack takes the message, but the database refuses to record it as sent: the job fails for good.
    const release = await refuseWrites(harness.prisma, 'Notification', `NEW.status = 'sent'`);
    let notificationId: string;
    try {
      const [reading] = await insertReadings(harness.prisma, meterId, [{ takenAt: new Date(), value: 1234 }]);
      await harness.queues.add(QueueName.Notify, { v: 1, readingId: reading!.id, meterId, captureId: reading!.captureId }, { jobId: jobId.notify(reading!.id) });
      const row = await waitFor(() => harness.prisma.notification.findFirst({ where: { alarm: { ruleId: rule.id } } }), { what: 'the Slack notification to be planned' });
      notificationId = row.id;
      await waitFor(async () => (await harness.queues.get(QueueName.NotificationDelivery).getJobState(notificationId)) === 'failed', {
        what: 'its delivery job to fail',
      });
      expect((await harness.prisma.notification.findUniqueOrThrow({ where: { id: notificationId } })).status).toBe('pending');
    } finally {
      await release();
    }

    await waitFor(async () => (await harness.prisma.notification.findUniqueOrThrow({ where: { id: notificationId } })).status === 'sent', {
      what: 'the reconciler to retry the delivery',
      timeoutMs: 10_000,
    });
    // Twice to Slack (the first answer was never recorded), both times as the same event.
    const sent = receiver.to('/slack/failed-delivery');
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((r) => r.headers['x-metertwin-event-id'])).size).toBe(1);
  });

  it('sends a "close valve" command that was saved while the queue was down', async () => {
    const { orgId } = await createOrgAndMeter(harness.prisma, 'valve');
    const actuator = await harness.prisma.actuator.create({ data: { orgId, name: 'main valve', kind: 'http', config: { url: `${receiver.url}/valve` } } });
    const userId = randomUUID();
    // What the portal records when Redis does not answer: the command, pending, and no job.
    const command = await harness.prisma.actuationCommand.create({ data: { actuatorId: actuator.id, command: 'close', requestedBy: `user:${userId}` } });

    const confirmed = await waitFor(
      async () => {
        const row = await harness.prisma.actuationCommand.findUniqueOrThrow({ where: { id: command.id } });
        return row.status === 'confirmed' && row;
      },
      { what: 'the reconciler to send the command', timeoutMs: 10_000 },
    );
    expect(confirmed.error).toBeNull();
    expect(receiver.to('/valve').map((r) => r.body)).toEqual([{ commandId: command.id, actuatorId: actuator.id, command: 'close' }]);
    expect((await harness.prisma.actuator.findUniqueOrThrow({ where: { id: actuator.id } })).state).toBe('closed');
    const metrics = await (await fetch(`${harness.url}/metrics`)).text();
    expect(metrics).toMatch(/metertwin_reconciled_total\{[^}]*kind="actuation"[^}]*outcome="requeued"[^}]*\} 1/);
  });
});
