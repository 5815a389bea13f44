import { Inject, Injectable } from '@nestjs/common';
import { jobId, QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { PRISMA, QueueService, Reconciles, type JobStep, type ReconcileStage } from '@metertwin/service-kit';
import { findUnnotifiedReadings } from './reading.repository.js';

interface StrandedReading {
  id: string;
  meterId: string;
  captureId: string;
  /** Set when an operator reviewed it: the review's own notify job, not the first one (long done). */
  reviewedAt: Date | null;
}

/**
 * A stored reading notify has not finished with (`notifiedAt` null) RECONCILE_AFTER_MS after it was
 * stored or reviewed: its notify job was lost (recognize stopped between the row and the job, the
 * portal could not reach Redis after a review, Redis flushed) or failed for good. The reconciler retries or re-adds it; evaluating a reading twice is harmless.
 */
@Injectable()
@Reconciles('reading')
export class ReadingReconcileStage implements ReconcileStage<StrandedReading> {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly queues: QueueService,
  ) {}

  stranded(cutoff: Date, take: number, after?: string): Promise<StrandedReading[]> {
    return findUnnotifiedReadings(this.prisma, cutoff, take, after);
  }

  next({ id, meterId, captureId, reviewedAt }: StrandedReading): JobStep {
    const notifyJobId = jobId.notify(id, reviewedAt);
    return {
      queue: QueueName.Notify,
      jobId: notifyJobId,
      add: () => this.queues.add(QueueName.Notify, { v: 1, readingId: id, meterId, captureId }, { jobId: notifyJobId }),
    };
  }

  /** A reading has no failed state: it stays un-notified, given up in the ledger, its job in the dead-letter view. */
  async giveUp(): Promise<void> {}
}
