import { Inject, Injectable, ServiceUnavailableException, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import { CONFIG, MetricsService, QueueService, type RetryLater } from '@metertwin/service-kit';
import type { IngestEnv } from './config.js';

/** The queues an accepted photo still has to pass before its reading is stored. */
const PIPELINE: QueueName[] = [QueueName.Preprocess, QueueName.Recognize];
const PENDING_STATES = ['waiting', 'active', 'delayed', 'paused', 'prioritized', 'waiting-children'];
/** How often the depth is counted in Redis, whatever the upload rate. */
export const DEPTH_REFRESH_MS = 500;
/** A healthy Redis counts in a millisecond or two; a count not back by then makes the depth unknown. */
const DEPTH_TIMEOUT_MS = 250;
/** How long a starting replica waits for Redis to connect before its first count. */
const FIRST_COUNT_WAIT_MS = 1000;

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
 * Back-pressure: while the photos waiting in preprocess and recognize exceed MAX_QUEUE_DEPTH, a new
 * photo is refused before anything is stored, so a refused photo was never accepted and cannot be
 * lost; below the limit the queue simply grows and the readings catch up later.
 *
 * The depth is counted in Redis every DEPTH_REFRESH_MS in the background, not per photo; the photos
 * this replica let in that are still being taken in, or were done after the count began, are added to
 * it, so a burst cannot overrun the limit between two counts. Redis not answering (not connected, or no count back within DEPTH_TIMEOUT_MS)
 * makes the depth unknown, and an unknown depth is not a full pipeline: the photo goes on, its capture
 * is stored first and the enqueue answers 503 (the reconciler queues it), as without back-pressure.
 */
@Injectable()
export class PipelineBackPressure implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly refused: ReturnType<MetricsService['counter']>;
  /** Photos waiting at the last count; undefined while Redis does not answer. */
  private counted: number | undefined;
  /** Photos let in and not done yet (their job may not be queued). */
  private inFlight = 0;
  /** Photos done since start, and how many of them were done when the last count began. */
  private done = 0;
  private doneBeforeCount = 0;
  /** The count under way: never more than one at a time, however long Redis takes. */
  private counting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queues: QueueService,
    @Inject(CONFIG) private readonly config: IngestEnv,
    metrics: MetricsService,
  ) {
    this.refused = metrics.counter('metertwin_uploads_refused_total', 'Uploads refused before anything was stored, by reason', ['reason']);
  }

  /**
   * A replica starts knowing the depth, so a burst right after a restart cannot pass a full pipeline
   * before the first count; Redis still down after FIRST_COUNT_WAIT_MS leaves it unknown, as later.
   */
  async onApplicationBootstrap(): Promise<void> {
    const until = Date.now() + FIRST_COUNT_WAIT_MS;
    while (!this.queues.connected && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
    this.refresh();
    await this.counting;
    this.timer = setInterval(() => this.refresh(), DEPTH_REFRESH_MS);
    this.timer.unref();
  }

  /** Before any shutdown hook: no count starts on queues being closed. */
  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * Lets one photo in, or throws PipelineBusyError when the pipeline is too far behind; no Redis round
   * trip. The caller calls the returned function once the photo is done with (queued or refused).
   */
  admit(): () => void {
    const depth = this.counted === undefined ? undefined : this.counted + this.inFlight + (this.done - this.doneBeforeCount);
    if (depth !== undefined && depth >= this.config.MAX_QUEUE_DEPTH) {
      this.refused.inc({ reason: 'queue_full' });
      throw new PipelineBusyError(depth, this.config.QUEUE_FULL_RETRY_AFTER_SEC);
    }
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.done++;
    };
  }

  /** Starts a count unless one is still out; every outcome is handled here (nothing is left to reject unheard). */
  private refresh(): void {
    if (this.counting) return;
    if (!this.queues.connected) {
      this.counted = undefined;
      return;
    }
    const doneBefore = this.done;
    const late = setTimeout(() => {
      this.counted = undefined;
    }, DEPTH_TIMEOUT_MS);
    this.counting = Promise.all(PIPELINE.map((name) => this.queues.counts(name, PENDING_STATES)))
      .then(
        (counts) => {
          this.counted = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
          this.doneBeforeCount = doneBefore;
        },
        () => {
          this.counted = undefined;
        },
      )
      .finally(() => {
        clearTimeout(late);
        this.counting = undefined;
      });
  }
}
