import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { PipelineBackPressure } from './pipeline-back-pressure.js';

/**
 * Back-pressure on HTTP uploads (PipelineBackPressure). It runs after the device check and before
 * the body is read or anything stored.
 */
@Injectable()
export class QueueDepthGuard implements CanActivate {
  constructor(private readonly backPressure: PipelineBackPressure) {}

  canActivate(context: ExecutionContext): boolean {
    // a full pipeline throws PipelineBusyError: 503 with Retry-After (ServiceExceptionFilter)
    const done = this.backPressure.admit();
    // the upload is done with once its answer is sent (or its connection dropped)
    context.switchToHttp().getResponse<Response>().once('close', done);
    return true;
  }
}
