import type { JobsOptions } from 'bullmq';
import { JobSchemas, type JobPayload, type QueueName } from '@metertwin/contracts';
import type { Logger } from './logger.js';
import { PeriodicTask } from './periodic-task.js';
import type { QueueService } from './queue.service.js';

export interface RecurringJobSpec<Q extends QueueName> {
  queue: Q;
  /** Every replica upserts the same scheduler id, so one job runs per period. */
  schedulerId: string;
  everyMs: number;
  data: JobPayload<Q>;
  opts?: Omit<JobsOptions, 'jobId' | 'repeat'>;
}

/**
 * A job BullMQ's job scheduler adds every `everyMs`. The scheduler lives in Redis only, so it is
 * upserted at start and again every `assertEveryMs`: a Redis flushed or restarted without persistence
 * gets it back (an unchanged upsert keeps the next run). Never awaited at start: a service started
 * while Redis is down must still start; the next assertion catches up.
 */
export class RecurringJob<Q extends QueueName> {
  private readonly task: PeriodicTask;

  constructor(
    private readonly queues: QueueService,
    log: Logger,
    private readonly spec: RecurringJobSpec<Q>,
  ) {
    this.task = new PeriodicTask(log, {
      run: () => this.assert(),
      failure: { message: 'job scheduler not asserted; trying again', level: 'warn', fields: { scheduler: spec.schedulerId } },
    });
  }

  start(assertEveryMs: number): void {
    this.task.start(assertEveryMs);
  }

  /** Before the queues close. */
  stop(): Promise<void> {
    return this.task.stop();
  }

  private async assert(): Promise<void> {
    const { queue, schedulerId, everyMs, data, opts } = this.spec;
    const upsert = this.queues
      .get(queue)
      .upsertJobScheduler(schedulerId, { every: everyMs }, { name: queue, data: JobSchemas[queue].parse(data), opts });
    await this.queues.bounded(upsert);
  }
}
