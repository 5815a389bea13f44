import { Inject, Injectable } from '@nestjs/common';
import { QueueName, type NotifyJob } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { RuleRegistry } from '@metertwin/rules';
import { OnJob, PRISMA, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import { AlarmService } from './alarm.service.js';

/** Runs the meter's rules over a stored reading and raises or clears alarms. */
@Injectable()
export class NotifyHandler {
  private readonly registry = new RuleRegistry();

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly alarms: AlarmService,
  ) {}

  @OnJob({ queue: QueueName.Notify, concurrency: 4 })
  async evaluate(job: NotifyJob, { log }: JobContext): Promise<void> {
    const reading = await this.prisma.reading.findUnique({ where: { id: job.readingId }, include: { meter: true } });
    if (!reading) throw new UnrecoverableError(`reading ${job.readingId} does not exist`);
    const rules = await this.prisma.rule.findMany({
      where: { enabled: true, orgId: reading.meter.orgId, OR: [{ meterId: reading.meterId }, { meterId: null }] },
    });

    for (const rule of rules) {
      const plugin = this.registry.get(rule.type);
      const config = plugin?.configSchema.safeParse(rule.config);
      if (!plugin || !config?.success) {
        log.warn({ ruleId: rule.id, type: rule.type }, 'rule skipped: unknown type or invalid config');
        continue;
      }
      const outcome = plugin.evaluate({
        reading: {
          id: reading.id,
          meterId: reading.meterId,
          numeric: reading.numeric === null ? null : reading.numeric.toNumber(),
          status: reading.status,
          takenAt: reading.takenAt,
        },
        config: config.data,
      });
      if (outcome.state === 'raise') {
        const alarm = await this.alarms.raise(rule, reading.meter, reading, outcome.message);
        log.info({ alarmId: alarm.id, ruleId: rule.id }, 'alarm raised');
      } else if (outcome.state === 'clear') {
        await this.alarms.clear(rule, reading.meterId);
      }
    }
  }
}
