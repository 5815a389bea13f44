import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, PRISMA, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { NotificationQueue } from './notification-queue.js';

const BATCH = 500;

/**
 * The outbox's timer: releases held rows whose time has come (quiet hours over, digest window
 * closed) and queues pending rows again, so a lost job (Redis flushed, a crash between insert and
 * queueing) never strands a notification. At start, pending rows also get a new job each: the job of
 * a worker that was killed mid-send would otherwise wait for BullMQ's stalled-job check.
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
    this.tick(`-restart-${Date.now()}`);
    this.timer = setInterval(() => this.tick(), this.config.NOTIFY_SWEEP_MS);
    this.timer.unref();
  }

  /** Before the connections close (they close in the shutdown hooks). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(jobSuffix = ''): void {
    if (this.running) return;
    this.running = this.sweep(jobSuffix)
      .catch((error: unknown) => this.log.error({ err: error }, 'notification sweep failed'))
      .finally(() => (this.running = undefined));
  }

  /** One pass; returns when the released and pending rows are queued. */
  async sweep(jobSuffix = ''): Promise<void> {
    const now = new Date();
    const released = await this.prisma.notification.updateManyAndReturn({
      where: { status: 'held', notBefore: { lte: now } },
      data: { status: 'pending' },
      select: { id: true },
      limit: BATCH,
    });
    await this.queue.enqueue(released);
    // Rows planned a moment ago are being queued by their planner.
    const settled = jobSuffix ? now : new Date(now.getTime() - 5_000);
    const pending = await this.prisma.notification.findMany({
      where: { status: 'pending', createdAt: { lte: settled } },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
      take: BATCH,
    });
    await this.queue.enqueue(pending, jobSuffix);
    if (released.length > 0) this.log.info({ released: released.length }, 'held notifications released');
  }
}
