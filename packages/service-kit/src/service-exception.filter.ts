import { Catch, HttpException, Logger, ServiceUnavailableException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '@metertwin/db';

/** An HTTP error that says when to try again: an unavailable queue or database (503), full storage (507). */
export interface RetryLater {
  readonly retryAfterSeconds: number;
}

const saysWhen = (error: unknown): error is HttpException & RetryLater =>
  error instanceof HttpException && typeof (error as Partial<RetryLater>).retryAfterSeconds === 'number';

/** Postgres was out of reach for this request: nothing it was about to record was recorded. */
export class DatabaseUnavailableError extends ServiceUnavailableException implements RetryLater {
  /** A restarted Postgres or a refilled connection pool takes seconds, not minutes. */
  readonly retryAfterSeconds = 5;

  constructor() {
    super(`the database is unavailable; try again in 5 s`);
  }
}

/**
 * Every service's last word on an HTTP error: a lost database connection is a 503 (the client sends
 * again, as after a restart) instead of a 500, and an error that says when to try again carries
 * `Retry-After`. As a filter it also covers what guards throw, which interceptors never see.
 */
@Catch()
export class ServiceExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('http');

  override catch(exception: unknown, host: ArgumentsHost): void {
    let error = exception;
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable, answered 503: ${(exception as Error).message.trim().split('\n').at(-1)}`);
      error = new DatabaseUnavailableError();
    }
    if (saysWhen(error) && host.getType() === 'http') {
      host.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(error.retryAfterSeconds));
    }
    super.catch(error, host);
  }
}
