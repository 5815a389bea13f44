import { Inject, Injectable } from '@nestjs/common';
import { WebhookEventType } from '@metertwin/contracts';
import type { Alarm } from '@metertwin/db';
import { LiveEventsService } from '@metertwin/service-kit';
import { ALARM_HOOKS, type AlarmEventName, type AlarmHook } from './alarm-hook.js';
import { WebhookService } from './webhook.service.js';

const WEBHOOK_EVENT: Record<AlarmEventName, WebhookEventType> = {
  raised: WebhookEventType.AlarmRaised,
  acknowledged: WebhookEventType.AlarmAcknowledged,
  cleared: WebhookEventType.AlarmCleared,
};

/**
 * Tells everyone about an alarm event, whoever caused it (a rule, the timer, a person through the
 * portal or the API): webhooks (idempotent by event id), the portal's live channel and the hooks.
 */
@Injectable()
export class AlarmAnnouncer {
  constructor(
    private readonly webhooks: WebhookService,
    private readonly live: LiveEventsService,
    @Inject(ALARM_HOOKS) private readonly hooks: AlarmHook[],
  ) {}

  async announce(alarm: Alarm, event: AlarmEventName, by: string): Promise<void> {
    // A raise's id carries the count: an alarm that was cleared and opened again is another alarm row anyway.
    const eventId = event === 'raised' ? `${WEBHOOK_EVENT.raised}:${alarm.id}:${alarm.count}` : `${WEBHOOK_EVENT[event]}:${alarm.id}`;
    const at = (event === 'raised' ? alarm.raisedAt : event === 'acknowledged' ? alarm.acknowledgedAt : alarm.clearedAt) ?? new Date();
    await this.webhooks.emit(alarm.orgId, WEBHOOK_EVENT[event], eventId, alarmData(alarm), at);
    await this.live.publish(
      event === 'raised'
        ? { v: 1, type: 'alarm.raised', meterId: alarm.meterId, alarmId: alarm.id, severity: alarm.severity, message: alarm.message, at: at.toISOString() }
        : { v: 1, type: 'alarm.updated', meterId: alarm.meterId, alarmId: alarm.id, status: event, by, at: at.toISOString() },
    );
    for (const hook of this.hooks) await hook.onAlarmEvent(alarm, event, by);
  }
}

/** The alarm as webhook subscribers see it. */
export function alarmData(alarm: Alarm): Record<string, unknown> {
  return {
    alarmId: alarm.id,
    meterId: alarm.meterId,
    ruleId: alarm.ruleId,
    type: alarm.type,
    severity: alarm.severity,
    status: alarm.status,
    message: alarm.message,
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
