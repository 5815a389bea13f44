import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, PRISMA, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { NotificationQueue } from './notification-queue.js';
import { findPending, releaseDue } from './notification.repository.js';

const BATCH = 500;

/**
 * The outbox's timer: releases held rows whose time has come (quiet hours over, digest window
 * closed). At start, pending rows also get a new job each: the job of a worker that was killed
 * mid-send would otherwise wait for BullMQ's stalled-job check. A pending row whose job is lost or
 * failed is the reconciler's (NotificationReconcileStage).
 */
@Injectable()
export class NotificationSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly queue: NotificationQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.tick(() => this.requeueAfterRestart());
    this.timer = setInterval(() => this.tick(() => this.release()), this.config.NOTIFY_SWEEP_MS);
    this.timer.unref();
  }

  /** Before the connections close (they close in the shutdown hooks). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(work: () => Promise<void>): void {
    if (this.running) return;
    this.running = work()
      .catch((error: unknown) => this.log.error({ err: error }, 'notification sweep failed'))
      .finally(() => (this.running = undefined));
  }

  /** Queues the held rows whose time has come. */
  private async release(): Promise<void> {
    const released = await releaseDue(this.prisma, BATCH);
    await this.queue.enqueue(released);
    if (released.length > 0) this.log.info({ released: released.length }, 'held notifications released');
  }

  /** Released rows, then a new job for each pending row, next to any job a killed worker left active. */
  private async requeueAfterRestart(): Promise<void> {
    await this.release();
    const pending = await findPending(this.prisma, BATCH);
    await this.queue.enqueue(pending, `-restart-${Date.now()}`);
  }
}
