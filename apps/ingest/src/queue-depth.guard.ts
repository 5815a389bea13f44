import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { PipelineBackPressure, PipelineBusyError } from './pipeline-back-pressure.js';

/**
 * Back-pressure on HTTP uploads (PipelineBackPressure). It runs after the device check and before
 * the body is read or anything stored.
 */
@Injectable()
export class QueueDepthGuard implements CanActivate {
  constructor(private readonly backPressure: PipelineBackPressure) {}

  canActivate(context: ExecutionContext): boolean {
    try {
      const done = this.backPressure.admit();
      // the upload is done with once its answer is sent (or its connection dropped)
      context.switchToHttp().getResponse<Response>().once('close', done);
      return true;
    } catch (error) {
      // Guards run before interceptors: the Retry-After header is set here, not by RetryAfterInterceptor.
      if (error instanceof PipelineBusyError) {
        context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  }
}
