import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { findEnabledRulesOfTypes, findMetersByIdOrOrg, ruleAppliesTo } from '@metertwin/alarms';
import { QueueName, type RuleTickJob } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, OnJob, PRISMA, QueueService, RecurringJob, type JobContext, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from './config.js';
import { RuleEvaluator } from './rule-evaluator.service.js';

/** Rule types that must be evaluated without a reading, on the timer: silence produces no reading. */
export const SCHEDULED_RULE_TYPES: readonly string[] = ['no-reading'];

/** Id of the BullMQ job scheduler behind the timer: every replica upserts the same one, so one job runs per tick. */
export const RULE_TICK_SCHEDULER = 'rule-tick';

/**
 * The rule timer: a BullMQ job scheduler adds a rule-tick job every RULE_TICK_MS; the job evaluates
 * the scheduled rule types (no-reading) of every meter that has one, with no reading and `now` = the
 * tick. The scheduler is asserted again every RECONCILE_MS (RecurringJob).
 */
@Injectable()
export class RuleTickHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly timer: RecurringJob<typeof QueueName.RuleTick>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) log: Logger,
    queues: QueueService,
    private readonly evaluator: RuleEvaluator,
  ) {
    this.timer = new RecurringJob(queues, log, {
      queue: QueueName.RuleTick,
      schedulerId: RULE_TICK_SCHEDULER,
      everyMs: config.RULE_TICK_MS,
      data: { v: 1 },
      // No retries: the next tick is the retry, and evaluating a tick again changes nothing.
      opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 500 },
    });
  }

  onApplicationBootstrap(): void {
    this.timer.start(this.config.RECONCILE_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.timer.stop();
  }

  @OnJob({ queue: QueueName.RuleTick, concurrency: 1 })
  async tick(job: RuleTickJob, { log }: JobContext): Promise<void> {
    const now = job.at ? new Date(job.at) : new Date();
    const rules = await findEnabledRulesOfTypes(this.prisma, SCHEDULED_RULE_TYPES, job.meterId);
    if (rules.length === 0) return;
    // Meter-specific rules name their meter; a group or org-wide rule covers meters of its organization.
    const meters = await findMetersByIdOrOrg(
      this.prisma,
      rules.flatMap((r) => (r.meterId ? [r.meterId] : [])),
      [...new Set(rules.filter((r) => !r.meterId).map((r) => r.orgId))],
      job.meterId,
    );
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
