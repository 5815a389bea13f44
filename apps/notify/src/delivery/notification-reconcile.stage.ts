import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { PRISMA, Reconciles, type JobStep, type ReconcileStage } from '@metertwin/service-kit';
import { NotificationQueue } from './notification-queue.js';

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
    return this.prisma.notification.findMany({
      where: { status: 'pending', createdAt: { lt: cutoff } },
      select: { id: true, alarm: { select: { meterId: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    });
  }

  next({ id, alarm }: StrandedNotification): JobStep {
    return { queue: QueueName.NotificationDelivery, jobId: id, add: () => this.queue.enqueue([{ id, meterId: alarm.meterId }]) };
  }

  async giveUp({ id }: StrandedNotification, reason: string): Promise<void> {
    await this.prisma.notification.updateMany({ where: { id, status: 'pending' }, data: { status: 'failed', lastError: reason.slice(0, 500) } });
  }
}
