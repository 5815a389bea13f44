import { Inject, Injectable } from '@nestjs/common';
import type { Alarm, Prisma, PrismaClient, Rule } from '@metertwin/db';
import { LiveEventsService, PRISMA } from '@metertwin/service-kit';

/** Alarm lifecycle: at most one open alarm per meter and rule; a repeat updates it. */
@Injectable()
export class AlarmService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly live: LiveEventsService,
  ) {}

  /**
   * Opens the rule's alarm on this meter, or updates the open one. `reading` is the reading that
   * raised it; undefined when the timer raised it (no-reading): the alarm then has no reading and a
   * repeat on a later tick only refreshes lastSeenAt, message and details, without counting.
   */
  raise(
    rule: Pick<Rule, 'id' | 'type' | 'severity'>,
    meter: { id: string; orgId: string },
    reading: { id: string; captureId: string } | undefined,
    message: string,
    details?: Record<string, unknown>,
  ): Promise<Alarm> {
    return this.openOrUpdate(rule, meter, reading, message, details, false);
  }

  private async openOrUpdate(
    rule: Pick<Rule, 'id' | 'type' | 'severity'>,
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
      if (reading && open.readingId === reading.id) return open;
      return this.prisma.alarm.update({
        where: { id: open.id },
        data: reading
          ? { count: { increment: 1 }, lastSeenAt: new Date(), message, details: detailsJson, readingId: reading.id, captureId: reading.captureId }
          : { lastSeenAt: new Date(), message, details: detailsJson },
      });
    }
    let alarm: Alarm;
    try {
      alarm = await this.prisma.alarm.create({ data: this.newAlarm(rule, meter, reading, message, detailsJson, openKey) });
    } catch (error) {
      // Another job for the same meter and rule opened it in the meantime: update that one instead.
      if (isUniqueViolation(error) && !retried) return this.openOrUpdate(rule, meter, reading, message, details, true);
      throw error;
    }
    await this.live.publish({
      v: 1,
      type: 'alarm.raised',
      meterId: meter.id,
      alarmId: alarm.id,
      severity: alarm.severity,
      message,
      at: alarm.raisedAt.toISOString(),
    });
    return alarm;
  }

  private newAlarm(
    rule: Pick<Rule, 'id' | 'type' | 'severity'>,
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
    const { count } = await this.prisma.alarm.updateMany({
      where: { openKey: `${meterId}:${rule.id}` },
      data: { status: 'cleared', clearedAt: new Date(), clearedBy: 'system', openKey: null },
    });
    return count > 0;
  }
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';
