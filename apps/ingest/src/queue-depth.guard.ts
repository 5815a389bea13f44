import { Inject, Injectable, ServiceUnavailableException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { QueueName } from '@metertwin/contracts';
import { CONFIG, MetricsService, QueueService, type RetryLater } from '@metertwin/service-kit';
import type { IngestEnv } from './config.js';

/** The queues an accepted photo still has to pass before its reading is stored. */
const PIPELINE: QueueName[] = [QueueName.Preprocess, QueueName.Recognize];
const PENDING_STATES = ['waiting', 'active', 'delayed', 'paused', 'prioritized', 'waiting-children'];

/** The pipeline is further behind than MAX_QUEUE_DEPTH: the device keeps its photo and sends it later. */
export class PipelineBusyError extends ServiceUnavailableException implements RetryLater {
  constructor(
    depth: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`${depth} photos are waiting to be read, more than this installation queues: nothing was stored; send the frame again in ${retryAfterSeconds} s`);
  }
}

/**
 * Back-pressure: an upload is refused (503 + Retry-After) while the photos waiting in preprocess and
 * recognize exceed MAX_QUEUE_DEPTH. It runs after the device check and before the body is read or
 * anything stored, so a refused photo was never accepted and cannot be lost; below the limit the queue
 * simply grows and the readings catch up later.
 */
@Injectable()
export class QueueDepthGuard implements CanActivate {
  private readonly refused: ReturnType<MetricsService['counter']>;

  constructor(
    private readonly queues: QueueService,
    @Inject(CONFIG) private readonly config: IngestEnv,
    metrics: MetricsService,
  ) {
    // Nest may build a guard more than once; the metric is registered once per service.
    const name = 'metertwin_uploads_refused_total';
    this.refused =
      (metrics.registry.getSingleMetric(name) as QueueDepthGuard['refused'] | undefined) ??
      metrics.counter(name, 'Uploads refused before anything was stored, by reason', ['reason']);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const counts = await Promise.all(PIPELINE.map((name) => this.queues.counts(name, PENDING_STATES)));
    const depth = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
    if (depth < this.config.MAX_QUEUE_DEPTH) return true;
    this.refused.inc({ reason: 'queue_full' });
    // Guards run before interceptors: the Retry-After header is set here, not by RetryAfterInterceptor.
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(this.config.QUEUE_FULL_RETRY_AFTER_SEC));
    throw new PipelineBusyError(depth, this.config.QUEUE_FULL_RETRY_AFTER_SEC);
  }
}
