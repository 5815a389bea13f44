import { Inject, Injectable } from '@nestjs/common';
import type { Alarm, Prisma, PrismaClient, Rule } from '@metertwin/db';
import { WebhookEventType } from '@metertwin/contracts';
import { LiveEventsService, PRISMA } from '@metertwin/service-kit';
import { WebhookService } from './webhook.service.js';

/** Alarm lifecycle: at most one open alarm per meter and rule; a repeat updates it. */
@Injectable()
export class AlarmService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly live: LiveEventsService,
    private readonly webhooks: WebhookService,
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
      if (reading && open.readingId === reading.id) {
        // The retried job may have stopped between opening the alarm and queueing its webhooks.
        if (open.count === 1) await this.emitRaised(open);
        return open;
      }
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
    await this.emitRaised(alarm);
    return alarm;
  }

  /** alarm.raised webhooks go out when the alarm opens; repeats of an open alarm only update it. */
  private async emitRaised(alarm: Alarm): Promise<void> {
    await this.webhooks.emit(alarm.orgId, WebhookEventType.AlarmRaised, `${WebhookEventType.AlarmRaised}:${alarm.id}:${alarm.count}`, alarmData(alarm), alarm.raisedAt);
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
    const openKey = `${meterId}:${rule.id}`;
    const open = await this.prisma.alarm.findUnique({ where: { openKey }, select: { id: true } });
    if (!open) return false;
    // Only if it is still this open alarm: a concurrent clear wins once.
    const { count } = await this.prisma.alarm.updateMany({
      where: { id: open.id, openKey },
      data: { status: 'cleared', clearedAt: new Date(), clearedBy: 'system', openKey: null },
    });
    if (count === 0) return false;
    const cleared = await this.prisma.alarm.findUniqueOrThrow({ where: { id: open.id } });
    await this.webhooks.emit(cleared.orgId, WebhookEventType.AlarmCleared, `${WebhookEventType.AlarmCleared}:${cleared.id}`, alarmData(cleared), cleared.clearedAt ?? new Date());
    return true;
  }
}

/** The alarm as webhook subscribers see it. */
function alarmData(alarm: Alarm): Record<string, unknown> {
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
    clearedAt: alarm.clearedAt?.toISOString() ?? null,
    clearedBy: alarm.clearedBy,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';
