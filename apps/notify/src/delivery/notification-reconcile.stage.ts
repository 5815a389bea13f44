import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { PRISMA, Reconciles, type JobStep, type ReconcileStage } from '@metertwin/service-kit';
import { NotificationQueue } from './notification-queue.js';
import { failIfPending, findStranded } from './notification.repository.js';

interface StrandedNotification {
  id: string;
  alarm: { meterId: string };
}

/**
 * An outbox row still pending RECONCILE_AFTER_MS after it was planned (or released): its delivery job
 * was lost, or failed without the worker recording the outcome (the database refused it). The
 * reconciler retries or re-adds the job; the worker's per-row lock and status check keep it sent once.
 */
@Injectable()
@Reconciles('notification')
export class NotificationReconcileStage implements ReconcileStage<StrandedNotification> {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly queue: NotificationQueue,
  ) {}

  stranded(cutoff: Date, take: number, after?: string): Promise<StrandedNotification[]> {
    return findStranded(this.prisma, cutoff, take, after);
  }

  next({ id, alarm }: StrandedNotification): JobStep {
    return { queue: QueueName.NotificationDelivery, jobId: id, add: () => this.queue.enqueue([{ id, meterId: alarm.meterId }]) };
  }

  async giveUp({ id }: StrandedNotification, reason: string): Promise<void> {
    await failIfPending(this.prisma, id, reason);
  }
}
