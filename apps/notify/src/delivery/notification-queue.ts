import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import { CONFIG, QueueService } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';

/** Queues outbox rows for delivery; the job id is the row's id, so queueing one twice does nothing. */
@Injectable()
export class NotificationQueue {
  constructor(
    private readonly queues: QueueService,
    @Inject(CONFIG) private readonly config: NotifyEnv,
  ) {}

  /** `jobSuffix` gives rows a new job next to a job that may be stuck with a dead worker (after a restart). */
  async enqueue(rows: readonly { id: string; meterId?: string }[], jobSuffix = ''): Promise<void> {
    for (const { id, meterId } of rows) {
      await this.queues.add(
        QueueName.NotificationDelivery,
        { v: 1, notificationId: id, meterId },
        { jobId: `${id}${jobSuffix}`, attempts: this.config.NOTIFY_MAX_ATTEMPTS, backoff: { type: 'exponential', delay: this.config.NOTIFY_BACKOFF_MS } },
      );
    }
  }
}
