import { Inject, Injectable } from '@nestjs/common';
import { advanceAnnounced, findRuleActions, getAlarm } from '@metertwin/alarms';
import { WebhookEventType } from '@metertwin/contracts';
import type { Alarm, AlarmStatus, PrismaClient } from '@metertwin/db';
import { organizationLanguage } from '@metertwin/org-admin';
import { alarmMessageIn, alarmTextLocale, type AlarmTextLocale } from '@metertwin/rules';
import { LiveEventsService, PRISMA } from '@metertwin/service-kit';
import { ActuationService } from './actuation/actuation.service.js';
import { ALARM_HOOKS, type AlarmEventName, type AlarmHook } from './alarm-hook.js';
import { WebhookService } from './webhook.service.js';

const WEBHOOK_EVENT: Record<AlarmEventName, WebhookEventType> = {
  raised: WebhookEventType.AlarmRaised,
  acknowledged: WebhookEventType.AlarmAcknowledged,
  cleared: WebhookEventType.AlarmCleared,
};

/** The status each lifecycle step leaves the alarm in, in the order the steps happen. */
const STEPS: readonly (readonly [AlarmEventName, AlarmStatus])[] = [
  ['raised', 'active'],
  ['acknowledged', 'acknowledged'],
  ['cleared', 'cleared'],
];

/**
 * Tells everyone about an alarm's lifecycle, whoever changed it (a rule, the timer, a person through
 * the portal or the API): webhooks, the portal's live channel and the hooks (push, Slack), and runs
 * the rule's actions (its `raise` actions when it opens, its `clear` actions when the rule cleared it;
 * a person clearing it runs none, so a closed valve stays closed).
 *
 * The alarm row is the outbox: writers only change the row, so the change and the duty to announce it
 * are one write, and `Alarm.announced` records how far it has been announced. `announce` tells every
 * step the row is ahead by, in order, recording each once done; each part is idempotent (webhook
 * deliveries by event id, notifications by row id, commands by deterministic id). A crash at any point
 * leaves the row ahead, and the next caller (a retried job, the portal's alarm-event job, the
 * reconciler at the latest) finishes it: one webhook, one notification and one command per step; only
 * the live event, a hint to refresh, may repeat.
 */
@Injectable()
export class AlarmAnnouncer {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly webhooks: WebhookService,
    private readonly live: LiveEventsService,
    private readonly actuation: ActuationService,
    @Inject(ALARM_HOOKS) private readonly hooks: AlarmHook[],
  ) {}

  /** Announces and acts on every step of the alarm not announced yet; resolves with the alarm as recorded. */
  async announce(alarmId: string): Promise<Alarm> {
    let alarm = await getAlarm(this.prisma, alarmId);
    for (;;) {
      const [next] = pendingSteps(alarm);
      if (!next) return alarm;
      const [step, status] = next;
      await this.tell(alarm, step);
      await this.act(alarm, step);
      // Another caller got there first: carry on from the row as it is now, not stop (that caller
      // may have read the row before its last change, as an acknowledge job does before the clear).
      alarm = (await advanceAnnounced(this.prisma, alarm.id, alarm.announced, status)) ? { ...alarm, announced: status } : await getAlarm(this.prisma, alarmId);
    }
  }

  private async tell(alarm: Alarm, event: AlarmEventName): Promise<void> {
    // The raise is told as it was when the alarm opened (count 1); counted repeats notify on their own.
    const told = event === 'raised' ? { ...alarm, count: 1 } : alarm;
    const eventId = event === 'raised' ? `${WEBHOOK_EVENT.raised}:${alarm.id}:1` : `${WEBHOOK_EVENT[event]}:${alarm.id}`;
    const at = (event === 'raised' ? alarm.raisedAt : event === 'acknowledged' ? alarm.acknowledgedAt : alarm.clearedAt) ?? new Date();
    const by = (event === 'acknowledged' ? alarm.acknowledgedBy : event === 'cleared' ? alarm.clearedBy : null) ?? 'system';
    const locale = alarmTextLocale(await organizationLanguage(this.prisma, alarm.orgId));
    await this.webhooks.emit(alarm.orgId, WEBHOOK_EVENT[event], eventId, alarmData(told, locale), at);
    await this.live.publish(
      event === 'raised'
        ? { v: 1, type: 'alarm.raised', meterId: alarm.meterId, alarmId: alarm.id, severity: alarm.severity, message: alarm.message, at: at.toISOString() }
        : { v: 1, type: 'alarm.updated', meterId: alarm.meterId, alarmId: alarm.id, status: event, by, at: at.toISOString() },
    );
    for (const hook of this.hooks) await hook.onAlarmEvent(told, event, by);
  }

  /** The rule's actions: `raise` when it opened, `clear` when the rule (not a person) cleared it. */
  private async act(alarm: Alarm, event: AlarmEventName): Promise<void> {
    const on = event === 'raised' ? 'raise' : event === 'cleared' && alarm.clearedBy === 'system' ? 'clear' : undefined;
    if (!on || !alarm.ruleId) return;
    const rule = await findRuleActions(this.prisma, alarm.ruleId);
    if (rule) await this.actuation.runRuleActions(rule, alarm, on);
  }
}

/** The steps the alarm's row is ahead of what has been announced, in order. */
function pendingSteps(alarm: Alarm) {
  const done = alarm.announced === null ? 0 : STEPS.findIndex(([, status]) => status === alarm.announced) + 1;
  return STEPS.slice(done).filter(
    ([step]) => step === 'raised' || (step === 'acknowledged' ? alarm.acknowledgedAt !== null : alarm.status === 'cleared'),
  );
}

/**
 * The alarm as webhook subscribers see it: `message` as the rule wrote it (English), a built-in
 * rule's `messageCode` and `messageParams`, and `localizedMessage` in the organization's default
 * language (`messageLocale`).
 */
export function alarmData(alarm: Alarm, locale: AlarmTextLocale): Record<string, unknown> {
  return {
    alarmId: alarm.id,
    meterId: alarm.meterId,
    ruleId: alarm.ruleId,
    type: alarm.type,
    severity: alarm.severity,
    status: alarm.status,
    message: alarm.message,
    messageCode: alarm.messageCode,
    messageParams: alarm.messageParams,
    messageLocale: locale,
    localizedMessage: alarmMessageIn(locale, alarm),
    details: alarm.details,
    count: alarm.count,
    readingId: alarm.readingId,
    captureId: alarm.captureId,
    raisedAt: alarm.raisedAt.toISOString(),
    acknowledgedAt: alarm.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alarm.acknowledgedBy,
    clearedAt: alarm.clearedAt?.toISOString() ?? null,
    clearedBy: alarm.clearedBy,
  };
}
