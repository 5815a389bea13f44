import { Injectable } from '@nestjs/common';
import type { Alarm } from '@metertwin/db';
import type { AlarmEventName, AlarmHook } from '../alarm-hook.js';
import { NotificationPlanner } from './notification-planner.js';

/** Person-facing notifications of alarm events: a raise (and each counted repeat) is planned and sent. */
@Injectable()
export class DeliveryAlarmHook implements AlarmHook {
  constructor(private readonly planner: NotificationPlanner) {}

  async onAlarmEvent(alarm: Alarm, event: AlarmEventName): Promise<void> {
    if (event === 'raised') await this.planner.alarmRaised(alarm);
  }
}
