import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, PRISMA, QueueService, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from './config.js';
import { WebhookService } from './webhook.service.js';

const BATCH = 500;

/**
 * The delivery rows are the outbox: a pending row whose job is gone (Redis lost it, or the process
 * stopped between writing the row and queueing it) is queued again under its own id, every
 * WEBHOOK_SWEEP_MS. Rows younger than WEBHOOK_SWEEP_AGE_MS are left to the code that wrote them.
 * Several replicas sweeping at once queue a delivery once: the job id is the delivery id.
 */
@Injectable()
export class WebhookSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly queues: QueueService,
    private readonly webhooks: WebhookService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((error: Error) => {
          this.log.warn({ err: error.message }, 'webhook sweep failed');
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.config.WEBHOOK_SWEEP_MS);
    this.timer.unref();
  }

  /** Before the queues close (they close in the shutdown hooks). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Queues again the pending deliveries that have no job; resolves with how many. */
  async sweep(): Promise<number> {
    const queue = this.queues.get(QueueName.WebhookDelivery);
    const olderThan = new Date(Date.now() - this.config.WEBHOOK_SWEEP_AGE_MS);
    let requeued = 0;
    let after: string | undefined;
    for (;;) {
      const pending = await this.prisma.webhookDelivery.findMany({
        where: { status: 'pending', createdAt: { lt: olderThan }, ...(after ? { id: { gt: after } } : {}) },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: BATCH,
      });
      for (const { id } of pending) {
        if (await this.queues.bounded(queue.getJob(id))) continue;
        await this.webhooks.enqueue(id, id);
        requeued++;
      }
      if (pending.length < BATCH) break;
      after = pending.at(-1)!.id;
    }
    if (requeued > 0) this.log.warn({ requeued }, 'pending webhook deliveries without a job queued again');
    return requeued;
  }
}
