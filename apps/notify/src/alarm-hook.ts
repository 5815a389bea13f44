import type { Provider, Type } from '@nestjs/common';
import type { Alarm } from '@metertwin/db';

export type AlarmEventName = 'raised' | 'acknowledged' | 'cleared';

/**
 * Something else that reacts to an alarm's lifecycle (person-facing delivery: push, Slack). Called
 * after the webhooks are queued, possibly more than once for one event (a retried job): key what
 * you do by alarm id and event. Throwing fails the job, which is retried.
 */
export interface AlarmHook {
  onAlarmEvent(alarm: Alarm, event: AlarmEventName, by: string): Promise<void>;
}

export const ALARM_HOOKS = Symbol('ALARM_HOOKS');

/** Registers the hooks, in call order: `alarmHooksProvider(SomeService)` with SomeService a provider too. */
export function alarmHooksProvider(...hooks: Type<AlarmHook>[]): Provider {
  return { provide: ALARM_HOOKS, useFactory: (...instances: AlarmHook[]) => instances, inject: hooks };
}
