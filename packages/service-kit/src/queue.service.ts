import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobSchemas, type JobPayload, type QueueName } from '@metertwin/contracts';
import type { BaseEnv } from './config.js';
import { QueueUnavailableError } from './queue-unavailable.error.js';
import { ignoreErrorsAfterClose } from './late-connection-errors.js';
import { CONFIG, REDIS } from './tokens.js';

/** Retries with exponential backoff; failed jobs are kept two weeks as the dead-letter view. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/**
 * The only way services put work on a queue: every payload is checked against its contract first.
 * Producers fail fast: an operation Redis does not complete within ENQUEUE_TIMEOUT_MS (down, paused,
 * or not reached since start) is a QueueUnavailableError instead of a wait without end.
 */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: BaseEnv,
  ) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.config.QUEUE_PREFIX });
      // Connection errors reach the callers (bounded) and /healthz; unheard, BullMQ prints each one.
      queue.on('error', () => undefined);
      ignoreErrorsAfterClose(queue);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Adds a job under a deterministic id: adding the same id again while it exists does nothing. */
  async add<Q extends QueueName>(
    name: Q,
    data: JobPayload<Q>,
    options: { jobId: string } & Omit<JobsOptions, 'jobId'>,
  ): Promise<void> {
    const payload = JobSchemas[name].parse(data);
    await this.bounded(this.get(name).add(name, payload, { ...DEFAULT_JOB_OPTIONS, ...options }));
  }

  /** Adds the job anew under its id: a finished job still kept under that id would swallow a plain add. */
  async readd<Q extends QueueName>(name: Q, data: JobPayload<Q>, options: { jobId: string } & Omit<JobsOptions, 'jobId'>): Promise<void> {
    await this.bounded(this.get(name).remove(options.jobId));
    await this.add(name, data, options);
  }

  /**
   * Bounds a queue operation: not done within ENQUEUE_TIMEOUT_MS, or failed while Redis is not
   * connected, it is a QueueUnavailableError. (An operation that outlives its deadline may still
   * complete later: job ids are deterministic, so that is harmless.)
   */
  async bounded<T>(operation: Promise<T>): Promise<T> {
    operation.catch(() => undefined); // its failure after the deadline is no one's to handle
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueueUnavailableError(`no answer within ${this.config.ENQUEUE_TIMEOUT_MS} ms`)), this.config.ENQUEUE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([operation, deadline]);
    } catch (error) {
      if (error instanceof QueueUnavailableError || this.redis.status === 'ready') throw error;
      throw new QueueUnavailableError((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Redis is connected now (a command sent otherwise waits in ioredis's offline queue). */
  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  counts(name: QueueName, states = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused']): Promise<Record<string, number>> {
    return this.bounded(this.get(name).getJobCounts(...(states as JobType[])));
  }

  /** After the workers have drained: a job finishing during shutdown may still enqueue its next step. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
