import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobSchemas, type JobPayload, type QueueName } from '@metertwin/contracts';
import type { BaseEnv } from './config.js';
import { CONFIG, REDIS } from './tokens.js';

/** Retries with exponential backoff; failed jobs are kept two weeks as the dead-letter view. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** The only way services put work on a queue: every payload is checked against its contract first. */
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
    await this.get(name).add(name, payload, { ...DEFAULT_JOB_OPTIONS, ...options });
  }

  /** Adds the job anew under its id: a finished job still kept under that id would swallow a plain add. */
  async readd<Q extends QueueName>(name: Q, data: JobPayload<Q>, options: { jobId: string } & Omit<JobsOptions, 'jobId'>): Promise<void> {
    await this.get(name).remove(options.jobId);
    await this.add(name, data, options);
  }

  counts(name: QueueName): Promise<Record<string, number>> {
    return this.get(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused');
  }

  /** After the workers have drained: a job finishing during shutdown may still enqueue its next step. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
