import { Inject, Injectable } from '@nestjs/common';
import type { Alarm, PrismaClient, Rule } from '@metertwin/db';
import { LiveEventsService, PRISMA } from '@metertwin/service-kit';

/** Alarm lifecycle: at most one open alarm per meter and rule; a repeat updates it. */
@Injectable()
export class AlarmService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly live: LiveEventsService,
  ) {}

  async raise(rule: Rule, meter: { id: string; orgId: string }, reading: { id: string; captureId: string }, message: string): Promise<Alarm> {
    const openKey = `${meter.id}:${rule.id}`;
    const open = await this.prisma.alarm.findUnique({ where: { openKey } });
    if (open) {
      // Evaluating the same reading twice (a retried job) must not count it twice.
      if (open.readingId === reading.id) return open;
      return this.prisma.alarm.update({
        where: { id: open.id },
        data: { count: { increment: 1 }, lastSeenAt: new Date(), message, readingId: reading.id, captureId: reading.captureId },
      });
    }
    const alarm = await this.prisma.alarm.create({
      data: {
        orgId: meter.orgId,
        meterId: meter.id,
        ruleId: rule.id,
        type: rule.type,
        severity: rule.severity,
        message,
        readingId: reading.id,
        captureId: reading.captureId,
        openKey,
      },
    });
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

  /** Clears the rule's open alarm on this meter, if there is one. */
  async clear(rule: Rule, meterId: string): Promise<void> {
    await this.prisma.alarm.updateMany({
      where: { openKey: `${meterId}:${rule.id}` },
      data: { status: 'cleared', clearedAt: new Date(), clearedBy: 'system', openKey: null },
    });
  }
}
