import type { JobsOptions } from 'bullmq';
import { JobSchemas, type JobPayload, type QueueName } from '@metertwin/contracts';
import type { Logger } from './logger.js';
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
  private timer?: NodeJS.Timeout;
  private asserting?: Promise<void>;

  constructor(
    private readonly queues: QueueService,
    private readonly log: Logger,
    private readonly spec: RecurringJobSpec<Q>,
  ) {}

  start(assertEveryMs: number): void {
    this.assert();
    this.timer = setInterval(() => this.assert(), assertEveryMs);
    this.timer.unref();
  }

  /** Before the queues close. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.asserting;
  }

  private assert(): void {
    if (this.asserting) return;
    const { queue, schedulerId, everyMs, data, opts } = this.spec;
    const upsert = this.queues
      .get(queue)
      .upsertJobScheduler(schedulerId, { every: everyMs }, { name: queue, data: JobSchemas[queue].parse(data), opts });
    this.asserting = this.queues
      .bounded(upsert)
      .then(() => undefined)
      .catch((error: Error) => this.log.warn({ err: error.message, scheduler: schedulerId }, 'job scheduler not asserted; trying again'))
      .finally(() => (this.asserting = undefined));
  }
}
