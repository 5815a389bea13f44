import { SetMetadata } from '@nestjs/common';
import type { QueueName } from '@metertwin/contracts';

export const ON_JOB = Symbol('ON_JOB');

export interface OnJobOptions {
  queue: QueueName;
  /** Jobs of this queue processed at once by one replica. */
  concurrency?: number;
}

/**
 * Marks the method that processes a queue's jobs. The worker host finds it at start-up, and refuses
 * to start when a consumed queue has no handler or two.
 */
export const OnJob = (options: OnJobOptions) => SetMetadata(ON_JOB, options);
