import { Inject, Injectable } from '@nestjs/common';
import { clearRuleAlarm, raiseRuleAlarm } from '@metertwin/alarms';
import type { Alarm, PrismaClient, Rule } from '@metertwin/db';
import type { RuleOutcome } from '@metertwin/rules';
import { PRISMA } from '@metertwin/service-kit';
import { AlarmAnnouncer } from './alarm-announcer.js';
import { NotificationPlanner } from './delivery/notification-planner.js';

/**
 * Alarms raised and cleared by rules: the rows change in the alarms package (raiseRuleAlarm,
 * clearRuleAlarm: at most one open alarm per meter and rule; a repeat updates it); here they are
 * announced. Opening one announces it and runs the rule's `raise` actions; the rule clearing it
 * announces that and runs its `clear` actions (AlarmAnnouncer, from the row: a crash in between is
 * finished later). (People acknowledge and clear through AlarmLifecycleService.)
 */
@Injectable()
export class AlarmService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly announcer: AlarmAnnouncer,
    private readonly notifications: NotificationPlanner,
  ) {}

  /**
   * Opens the rule's alarm on this meter, or updates the open one. `reading` is the reading that
   * raised it; undefined when the timer raised it (no-reading): a repeat on a later tick only
   * refreshes the alarm, without counting.
   */
  async raise(
    rule: Pick<Rule, 'id' | 'type' | 'severity'>,
    meter: { id: string; orgId: string },
    reading: { id: string; captureId: string } | undefined,
    { message, text, details }: Omit<Extract<RuleOutcome, { state: 'raise' }>, 'state'>,
  ): Promise<Alarm> {
    const { alarm, outcome } = await raiseRuleAlarm(this.prisma, { rule, meter, reading, message, text, details });
    switch (outcome) {
      // An alarm is announced and acts when it opens; repeats of an open alarm only update it.
      case 'opened':
        return this.announcer.announce(alarm.id);
      // A counted repeat notifies people too (idempotent per count; folded into a digest when soon after the last).
      case 'repeated':
        await this.notifications.alarmRaised(alarm);
        return alarm;
      case 'refreshed':
        return alarm;
      // A retried job may have stopped before announcing the opening or planning the repeat (both idempotent).
      case 'seen':
        await this.announcer.announce(alarm.id);
        if (alarm.count > 1) await this.notifications.alarmRaised(alarm);
        return alarm;
    }
  }

  /** Clears the rule's open alarm on this meter, if there is one; true when one was cleared. */
  async clear(rule: Pick<Rule, 'id'>, meterId: string): Promise<boolean> {
    const cleared = await clearRuleAlarm(this.prisma, rule.id, meterId);
    if (!cleared) return false;
    await this.announcer.announce(cleared);
    return true;
  }
}
