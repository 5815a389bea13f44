import { HttpException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, throwError, type Observable } from 'rxjs';

/** An HTTP error that says when to try again: an unavailable queue (503), full storage (507). */
export interface RetryLater {
  readonly retryAfterSeconds: number;
}

const saysWhen = (error: unknown): error is HttpException & RetryLater =>
  error instanceof HttpException && typeof (error as Partial<RetryLater>).retryAfterSeconds === 'number';

/** Such an error tells the client when to try again (`Retry-After`). */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (saysWhen(error) && context.getType() === 'http') {
          context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(error.retryAfterSeconds));
        }
        return throwError(() => error);
      }),
    );
  }
}
