import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '@metertwin/contracts';
import { startNotify } from '@metertwin/notify';
import { QueueService } from '@metertwin/service-kit';
import { waitFor } from '@metertwin/testing';
import { insertReadings, notifyReadings } from './notify-harness.js';
import { startPlatform, type Platform } from './platform.js';

const MINUTE = 60_000;

describe('notify evaluates rules through the engine, with persisted rule state and a timer', () => {
  let platform: Platform;
  let queues: QueueService;
  let orgId: string;

  beforeAll(async () => {
    platform = await startPlatform({ RULE_TICK_MS: '500' });
    // Jobs go in the way recognize puts them there, through its validated queue service.
    queues = platform.apps.recognize.get(QueueService);
    orgId = (await platform.prisma.organization.create({ data: { name: 'Rules Water', slug: 'rules-water' } })).id;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const createMeter = (name: string, timeZone: string) =>
    platform.prisma.meter.create({ data: { orgId, name, digits: 8, decimals: 3, timeZone } });

  it('raises exactly one continuous-flow alarm for a night-long leak in the meter\'s time zone, and a zero-flow interval clears it', async () => {
    const meter = await createMeter('Night leak', 'America/New_York');
    // No timeZone in the config: the meter's zone applies, so the 01:00-05:00 window is New York time.
    const rule = await platform.prisma.rule.create({
      data: { orgId, meterId: meter.id, type: 'continuous-flow', config: { hours: 3 }, severity: 'major' },
    });
    // 22:00 to 07:00 New York time (UTC-5 in January), every 10 minutes, 0.02 m³/h: index 36 is 04:00, 42 is 05:00.
    const start = Date.parse('2026-01-15T03:00:00Z');
    const night = await insertReadings(
      platform.prisma,
      meter.id,
      Array.from({ length: 55 }, (_, i) => ({ takenAt: new Date(start + i * 10 * MINUTE), value: Number((1234.567 + (0.02 * i) / 6).toFixed(3)) })),
    );
    await notifyReadings({ queues }, meter.id, night);

    const alarms = await platform.prisma.alarm.findMany({ where: { meterId: meter.id } });
    expect(alarms).toHaveLength(1);
    const [alarm] = alarms;
    // One open alarm per meter and rule; each of the 7 readings from 04:00 to 05:00 raised it again.
    expect(alarm).toMatchObject({ type: 'continuous-flow', status: 'active', openKey: `${meter.id}:${rule.id}`, count: 7 });
    expect(alarm!.message).toMatch(/^possible leak: flow has not dropped to zero for [34](\.\d+)? h between 01:00 and 05:00/);
    expect((alarm!.details as { lowestFlowPerHour: number }).lowestFlowPerHour).toBeCloseTo(0.018, 6);

    // The next morning the meter stands still for 10 minutes: the leak alarm clears.
    const last = night.at(-1)!;
    const still = await insertReadings(platform.prisma, meter.id, [{ takenAt: new Date(last.takenAt.getTime() + 10 * MINUTE), value: last.value }]);
    await notifyReadings({ queues }, meter.id, still);
    const cleared = await platform.prisma.alarm.findUniqueOrThrow({ where: { id: alarm!.id } });
    expect(cleared).toMatchObject({ status: 'cleared', clearedBy: 'system', openKey: null, count: 7 });
    expect(await platform.prisma.alarm.count({ where: { meterId: meter.id } })).toBe(1);
  });

  let offline: { meterId: string; ruleId: string; lastTakenAt: Date };

  it('raises no-reading from the timer when a meter falls silent, and clears it when an accepted reading arrives', async () => {
    const meter = await createMeter('Quiet camera', 'UTC');
    const rule = await platform.prisma.rule.create({
      data: { orgId, meterId: meter.id, type: 'no-reading', config: { minutes: 1 }, severity: 'warning' },
    });
    // The last reading is 10 minutes old; evaluated at its own time it clears and leaves the rule's state.
    const old = await insertReadings(platform.prisma, meter.id, [{ takenAt: new Date(Date.now() - 10 * MINUTE), value: 77.1 }]);
    await notifyReadings({ queues }, meter.id, old);
    const state = await platform.prisma.ruleState.findUniqueOrThrow({ where: { ruleId_meterId: { ruleId: rule.id, meterId: meter.id } } });
    expect(state.state).toEqual({ lastAcceptedAt: old[0]!.takenAt.toISOString() });

    // No new reading: the timer finds the meter silent from the state alone (its 1-minute history is empty).
    const raised = await waitFor(() => platform.prisma.alarm.findFirst({ where: { ruleId: rule.id, status: 'active' } }), {
      what: 'the timer to raise no-reading',
    });
    expect(raised).toMatchObject({ type: 'no-reading', severity: 'warning', readingId: null, captureId: null, openKey: `${meter.id}:${rule.id}` });
    expect(raised.details).toMatchObject({ lastAcceptedAt: old[0]!.takenAt.toISOString() });
    // Further ticks refresh the open alarm without counting: evaluating a tick again changes nothing.
    await waitFor(async () => (await platform.prisma.alarm.findUniqueOrThrow({ where: { id: raised.id } })).lastSeenAt > raised.lastSeenAt, {
      what: 'another tick',
    });
    expect(await platform.prisma.alarm.findUniqueOrThrow({ where: { id: raised.id } })).toMatchObject({ count: 1, status: 'active' });
    expect(await platform.prisma.alarm.count({ where: { ruleId: rule.id } })).toBe(1);

    const fresh = await insertReadings(platform.prisma, meter.id, [{ takenAt: new Date(), value: 77.3 }]);
    await notifyReadings({ queues }, meter.id, fresh);
    await waitFor(async () => (await platform.prisma.alarm.findUniqueOrThrow({ where: { id: raised.id } })).status === 'cleared', {
      what: 'the reading to clear no-reading',
    });
    // Ticks after the reading keep it clear.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await platform.prisma.alarm.count({ where: { ruleId: rule.id, status: 'active' } })).toBe(0);
    offline = { meterId: meter.id, ruleId: rule.id, lastTakenAt: fresh[0]!.takenAt };
  });

  it('keeps rule state across a notify restart', async () => {
    await platform.apps.notify.close();
    const restartedAt = new Date();
    platform.apps.notify = await startNotify(platform.env, { handleSignals: false });

    // A tick ten minutes ahead for that meter: no reading in its 1-minute history, so only the
    // RuleState written before the restart knows when the meter was last heard from.
    const at = new Date(offline.lastTakenAt.getTime() + 10 * MINUTE);
    await queues.add(QueueName.RuleTick, { v: 1, at: at.toISOString(), meterId: offline.meterId }, { jobId: `tick-${at.getTime()}` });
    const alarm = await waitFor(
      () => platform.prisma.alarm.findFirst({ where: { ruleId: offline.ruleId, raisedAt: { gte: restartedAt } } }),
      { what: 'the restarted notify to raise from the persisted state' },
    );
    expect(alarm.message).toBe(`no accepted reading for 10 min (last at ${offline.lastTakenAt.toISOString()})`);
    expect(alarm.details).toEqual({ lastAcceptedAt: offline.lastTakenAt.toISOString(), silentMinutes: 10 });
    expect(alarm.readingId).toBeNull();
  });
});
