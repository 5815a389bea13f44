import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import type { BaseEnv } from './config.js';
import { LOGGER, type Logger } from './logger.js';
import { MetricsService } from './metrics.service.js';
import { PeriodicTask } from './periodic-task.js';
import { QueueUnavailableError } from './queue-unavailable.error.js';
import { QueueService } from './queue.service.js';
import { RECONCILES, type JobStep, type ReconcileStage, type StrandedItem } from './reconcile-stage.js';
import { RedriveLedger, type Claim } from './redrive-ledger.js';
import { CONFIG } from './tokens.js';

/** Job states in which the job will still run: the work is on its way, not stranded. */
const ON_ITS_WAY = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

type Outcome = 'requeued' | 'retried' | 'ran' | 'gave_up';

interface Registered {
  kind: string;
  stage: ReconcileStage;
}

/**
 * Finds the work of this service's reconcile stages that is not at a final state after its deadline
 * (RECONCILE_AFTER_MS) and drives it on, every RECONCILE_MS: a failed job is retried, a lost or
 * finished one added again, a step without a job run again. Oldest first, RECONCILE_BATCH at a time,
 * batch after batch until none is left; each item is claimed in the Redrive ledger first, so replicas
 * share the work, and an item driven on RECONCILE_MAX_ATTEMPTS times without reaching a final state is
 * given up (its stage records why). docs/operations.md says which service runs which stage.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stages: Registered[] = [];
  private stopping = false;
  private readonly task: PeriodicTask;
  private readonly driven;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly ledger: RedriveLedger,
    private readonly queues: QueueService,
    @Inject(CONFIG) private readonly config: BaseEnv,
    @Inject(LOGGER) private readonly log: Logger,
    metrics: MetricsService,
  ) {
    this.driven = metrics.counter('metertwin_reconciled_total', 'Stranded work the reconciler drove on, by stage and outcome', ['kind', 'outcome']);
    this.task = new PeriodicTask(log, { run: () => this.pass(), failure: { message: 'reconcile pass failed' } });
  }

  onApplicationBootstrap(): void {
    this.stages = this.discovery.getProviders().flatMap((wrapper) => {
      const instance = wrapper.instance as object | undefined;
      const kind = instance && typeof instance === 'object' ? this.reflector.get<string | undefined>(RECONCILES, instance.constructor) : undefined;
      return kind ? [{ kind, stage: instance as ReconcileStage }] : [];
    });
    if (this.stages.length === 0) return;
    this.task.start(this.config.RECONCILE_MS);
  }

  /** Before the queues close: a pass in progress finishes its item. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.task.stop();
  }

  /**
   * One pass over every stage; a stage's failure is logged and leaves the others to run. Without
   * Redis nothing can be driven on: the pass stops, and no item is charged an attempt.
   */
  private async pass(): Promise<void> {
    await this.ledger.prune(new Date()).catch((error: Error) => this.log.warn({ err: error.message }, 'reconcile ledger not pruned'));
    for (const registered of this.stages) {
      try {
        await this.reconcile(registered);
      } catch (error) {
        if (error instanceof QueueUnavailableError) {
          this.log.warn({ err: error.message }, 'reconcile pass stopped: Redis is unavailable');
          return;
        }
        this.log.error({ kind: registered.kind, err: (error as Error).message }, 'reconcile pass failed');
      }
    }
  }

  private async reconcile({ kind, stage }: Registered): Promise<void> {
    const cutoff = new Date(Date.now() - this.config.RECONCILE_AFTER_MS);
    let after: string | undefined;
    for (;;) {
      const items = await stage.stranded(cutoff, this.config.RECONCILE_BATCH, after);
      const blocked = await this.ledger.blocked(kind, items.map((i) => i.id), new Date());
      for (const item of items) {
        if (blocked.has(item.id) || this.stopping) continue;
        const claim = await this.ledger.claim(kind, item.id, new Date());
        if (claim) await this.drive(kind, stage, item, claim);
      }
      if (items.length < this.config.RECONCILE_BATCH || this.stopping) return;
      after = items.at(-1)!.id;
    }
  }

  private async drive(kind: string, stage: ReconcileStage, item: StrandedItem, claim: Claim): Promise<void> {
    const attempt = claim.attempts + 1;
    try {
      const step = stage.next(item);
      const job = 'jobId' in step ? await this.queues.bounded(this.queues.get(step.queue).getJob(step.jobId)) : undefined;
      const state = job ? await this.queues.bounded(job.getState()) : 'missing';
      if ('jobId' in step && ON_ITS_WAY.has(state)) return;
      let outcome: Outcome;
      if (claim.attempts >= this.config.RECONCILE_MAX_ATTEMPTS) {
        const reason = job?.failedReason || claim.lastError || `its job is ${state}`;
        await stage.giveUp(item, `gave up after ${claim.attempts} attempts: ${reason}`);
        await this.ledger.gaveUp(kind, item.id);
        outcome = 'gave_up';
      } else {
        outcome = 'run' in step ? (await step.run(), 'ran') : await this.redrive(step, job, state);
        await this.ledger.attempted(kind, item.id, attempt, job?.failedReason);
      }
      this.driven.inc({ kind, outcome });
      const level = outcome === 'gave_up' ? 'error' : 'warn';
      this.log[level]({ kind, id: item.id, attempts: outcome === 'gave_up' ? claim.attempts : attempt, jobState: state, outcome }, 'stranded work driven on');
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw error;
      const message = (error as Error).message;
      await this.ledger.attempted(kind, item.id, attempt, message);
      this.driven.inc({ kind, outcome: 'error' });
      this.log.error({ kind, id: item.id, attempt, err: message }, 'stranded work could not be driven on');
    }
  }

  /**
   * A failed job is retried with its attempts reset (BullMQ ignores an add under the id of a failed
   * job); a finished one is removed first, for the same reason; a lost one is simply added again.
   */
  private async redrive(step: JobStep, job: Job | undefined, state: string): Promise<Outcome> {
    if (job && state === 'failed') {
      await this.queues.bounded(job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }));
      return 'retried';
    }
    if (job) await this.queues.bounded(job.remove());
    await step.add();
    return 'requeued';
  }
}
