import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { findEnabledRulesOfTypes, ruleAppliesTo } from '@metertwin/alarms';
import { QueueName, type RuleTickJob } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, OnJob, PRISMA, QueueService, type JobContext, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from './config.js';
import { RuleEvaluator } from './rule-evaluator.service.js';

/** Rule types that must be evaluated without a reading, on the timer: silence produces no reading. */
export const SCHEDULED_RULE_TYPES: readonly string[] = ['no-reading'];

/** Id of the BullMQ job scheduler behind the timer: every replica upserts the same one, so one job runs per tick. */
export const RULE_TICK_SCHEDULER = 'rule-tick';

/**
 * The rule timer: a BullMQ job scheduler adds a rule-tick job every RULE_TICK_MS; the job evaluates
 * the scheduled rule types (no-reading) of every meter that has one, with no reading and `now` = the
 * tick. The scheduler lives in Redis only, so it is upserted at start and again every RECONCILE_MS: a
 * Redis flushed or restarted without persistence gets it back (an unchanged upsert keeps the next tick).
 */
@Injectable()
export class RuleTickHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private asserting?: Promise<void>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly queues: QueueService,
    private readonly evaluator: RuleEvaluator,
  ) {}

  /** Not awaited: a notify started while Redis is down must still start; the next assertion catches up. */
  onApplicationBootstrap(): void {
    this.assertScheduler();
    this.timer = setInterval(() => this.assertScheduler(), this.config.RECONCILE_MS);
    this.timer.unref();
  }

  /** Before the queues close. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.asserting;
  }

  private assertScheduler(): void {
    if (this.asserting) return;
    const upsert = this.queues.get(QueueName.RuleTick).upsertJobScheduler(
      RULE_TICK_SCHEDULER,
      { every: this.config.RULE_TICK_MS },
      {
        name: QueueName.RuleTick,
        data: { v: 1 } satisfies RuleTickJob,
        // No retries: the next tick is the retry, and evaluating a tick again changes nothing.
        opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 500 },
      },
    );
    this.asserting = this.queues
      .bounded(upsert)
      .then(() => undefined)
      .catch((error: Error) => this.log.warn({ err: error.message }, 'rule timer not asserted; trying again'))
      .finally(() => (this.asserting = undefined));
  }

  @OnJob({ queue: QueueName.RuleTick, concurrency: 1 })
  async tick(job: RuleTickJob, { log }: JobContext): Promise<void> {
    const now = job.at ? new Date(job.at) : new Date();
    const rules = await findEnabledRulesOfTypes(this.prisma, SCHEDULED_RULE_TYPES, job.meterId);
    if (rules.length === 0) return;
    // Meter-specific rules name their meter; a group or org-wide rule covers meters of its organization.
    const meters = await this.prisma.meter.findMany({
      where: {
        OR: [
          { id: { in: rules.flatMap((r) => (r.meterId ? [r.meterId] : [])) } },
          { orgId: { in: [...new Set(rules.filter((r) => !r.meterId).map((r) => r.orgId))] } },
        ],
        ...(job.meterId ? { id: job.meterId } : {}),
      },
      select: { id: true, orgId: true, group: true, timeZone: true },
    });
    let failed = 0;
    for (const meter of meters) {
      const meterRules = rules.filter((r) => ruleAppliesTo(r, meter));
      if (meterRules.length === 0) continue; // another group's meter of an organization with group rules
      try {
        await this.evaluator.evaluateMeter({ meter, rules: meterRules, now, log: log.child({ meterId: meter.id }) });
      } catch (error) {
        // One meter's failure must not keep the others from being checked.
        failed++;
        log.error({ meterId: meter.id, err: (error as Error).message }, 'scheduled rule evaluation failed');
      }
    }
    if (failed > 0) throw new Error(`scheduled rule evaluation failed for ${failed} of ${meters.length} meters`);
  }
}
