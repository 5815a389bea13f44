import { Inject, Injectable } from '@nestjs/common';
import type { Alarm, Prisma, PrismaClient, Rule } from '@metertwin/db';
import { PRISMA } from '@metertwin/service-kit';
import { AlarmAnnouncer } from './alarm-announcer.js';
import { NotificationPlanner } from './delivery/notification-planner.js';

type RaisingRule = Pick<Rule, 'id' | 'type' | 'severity'>;

/**
 * Alarms raised and cleared by rules: at most one open alarm per meter and rule; a repeat updates it.
 * Opening one announces it and runs the rule's `raise` actions; the rule clearing it announces that
 * and runs its `clear` actions (AlarmAnnouncer, from the row: a crash in between is finished later).
 * (People acknowledge and clear through AlarmLifecycleService.)
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
   * raised it; undefined when the timer raised it (no-reading): the alarm then has no reading and a
   * repeat on a later tick only refreshes lastSeenAt, message and details, without counting.
   */
  raise(
    rule: RaisingRule,
    meter: { id: string; orgId: string },
    reading: { id: string; captureId: string } | undefined,
    message: string,
    details?: Record<string, unknown>,
  ): Promise<Alarm> {
    return this.openOrUpdate(rule, meter, reading, message, details, false);
  }

  private async openOrUpdate(
    rule: RaisingRule,
    meter: { id: string; orgId: string },
    reading: { id: string; captureId: string } | undefined,
    message: string,
    details: Record<string, unknown> | undefined,
    retried: boolean,
  ): Promise<Alarm> {
    const openKey = `${meter.id}:${rule.id}`;
    const detailsJson = details === undefined ? undefined : (details as Prisma.InputJsonValue);
    const open = await this.prisma.alarm.findUnique({ where: { openKey } });
    if (open) {
      // Evaluating the same reading twice (a retried job) must not count it twice.
      if (reading && open.readingId === reading.id) {
        // The retried job may have stopped before announcing the opening or planning the repeat (both idempotent).
        await this.announcer.announce(open.id);
        if (open.count > 1) await this.notifications.alarmRaised(open);
        return open;
      }
      const updated = await this.prisma.alarm.update({
        where: { id: open.id },
        data: reading
          ? { count: { increment: 1 }, lastSeenAt: new Date(), message, details: detailsJson, readingId: reading.id, captureId: reading.captureId }
          : { lastSeenAt: new Date(), message, details: detailsJson },
      });
      // A counted repeat notifies people too (idempotent per count; folded into a digest when soon after the last).
      if (reading) await this.notifications.alarmRaised(updated);
      return updated;
    }
    let alarm: Alarm;
    try {
      alarm = await this.prisma.alarm.create({ data: this.newAlarm(rule, meter, reading, message, detailsJson, openKey) });
    } catch (error) {
      // Another job for the same meter and rule opened it in the meantime: update that one instead.
      if (isUniqueViolation(error) && !retried) return this.openOrUpdate(rule, meter, reading, message, details, true);
      throw error;
    }
    // An alarm is announced and acts when it opens; repeats of an open alarm only update it.
    return this.announcer.announce(alarm.id);
  }

  private newAlarm(
    rule: RaisingRule,
    meter: { id: string; orgId: string },
    reading: { id: string; captureId: string } | undefined,
    message: string,
    details: Prisma.InputJsonValue | undefined,
    openKey: string,
  ): Prisma.AlarmUncheckedCreateInput {
    return {
      orgId: meter.orgId,
      meterId: meter.id,
      ruleId: rule.id,
      type: rule.type,
      severity: rule.severity,
      message,
      details,
      readingId: reading?.id ?? null,
      captureId: reading?.captureId ?? null,
      openKey,
    };
  }

  /** Clears the rule's open alarm on this meter, if there is one; true when one was cleared. */
  async clear(rule: Pick<Rule, 'id'>, meterId: string): Promise<boolean> {
    const openKey = `${meterId}:${rule.id}`;
    const open = await this.prisma.alarm.findUnique({ where: { openKey }, select: { id: true } });
    if (!open) return false;
    // Only if it is still this open alarm: a concurrent clear wins once.
    const { count } = await this.prisma.alarm.updateMany({
      where: { id: open.id, openKey },
      data: { status: 'cleared', clearedAt: new Date(), clearedBy: 'system', openKey: null },
    });
    if (count === 0) return false;
    await this.announcer.announce(open.id);
    return true;
  }
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';
