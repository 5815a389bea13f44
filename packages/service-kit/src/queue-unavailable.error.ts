import { ServiceUnavailableException } from '@nestjs/common';
import type { RetryLater } from './service-exception.filter.js';

/** How long a client is asked to wait before trying again: about what a restarted Redis needs. */
export const RETRY_AFTER_SECONDS = 30;

/**
 * Redis did not take a queue operation in time (down, paused, unreachable). Over HTTP it is a 503 with
 * `Retry-After`; what was recorded in Postgres before it stays, and the reconciler queues it later.
 */
export class QueueUnavailableError extends ServiceUnavailableException implements RetryLater {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;

  constructor(cause: string) {
    super(`the job queue (Redis) is unavailable: ${cause}; try again in ${RETRY_AFTER_SECONDS} s`);
  }
}
