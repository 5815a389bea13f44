import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, PeriodicTask, PRISMA, type Logger } from '@metertwin/service-kit';
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
  private readonly task: PeriodicTask;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly queue: NotificationQueue,
  ) {
    this.task = new PeriodicTask(log, {
      first: () => this.requeueAfterRestart(),
      run: () => this.release(),
      failure: { message: 'notification sweep failed' },
    });
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.NOTIFY_SWEEP_MS);
  }

  /** Before the connections close (they close in the shutdown hooks). */
  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
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
