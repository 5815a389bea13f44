import { Inject, Injectable, ServiceUnavailableException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { QueueName } from '@metertwin/contracts';
import { CONFIG, MetricsService, QueueService, type RetryLater } from '@metertwin/service-kit';
import type { IngestEnv } from './config.js';

/** The queues an accepted photo still has to pass before its reading is stored. */
const PIPELINE: QueueName[] = [QueueName.Preprocess, QueueName.Recognize];
const PENDING_STATES = ['waiting', 'active', 'delayed', 'paused', 'prioritized', 'waiting-children'];
/** A healthy Redis counts in a millisecond or two; waiting longer would only delay the 503 an outage gets anyway. */
const DEPTH_TIMEOUT_MS = 250;

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
    const depth = await this.depth();
    // Redis not answering is not a full pipeline: the upload goes on, its capture is stored first and
    // the device hears 503 from the enqueue (the reconciler queues it), as without this guard.
    if (depth === undefined || depth < this.config.MAX_QUEUE_DEPTH) return true;
    this.refused.inc({ reason: 'queue_full' });
    // Guards run before interceptors: the Retry-After header is set here, not by RetryAfterInterceptor.
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(this.config.QUEUE_FULL_RETRY_AFTER_SEC));
    throw new PipelineBusyError(depth, this.config.QUEUE_FULL_RETRY_AFTER_SEC);
  }

  /** Photos waiting in preprocess and recognize; undefined when Redis does not answer within DEPTH_TIMEOUT_MS. */
  private async depth(): Promise<number | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), DEPTH_TIMEOUT_MS);
    });
    const counted = Promise.all(PIPELINE.map((name) => this.queues.counts(name, PENDING_STATES))).then(
      (counts) => counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0),
      () => undefined,
    );
    try {
      return await Promise.race([counted, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
