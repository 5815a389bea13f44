import { Inject, Injectable } from '@nestjs/common';
import { jobId, QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CaptureFailuresService, PRISMA, Reconciles, type JobStep, type ReconcileStage } from '@metertwin/service-kit';
import { findStrandedCaptures } from './capture.repository.js';
import { CaptureService } from './capture.service.js';

interface StrandedCapture {
  id: string;
  meterId: string;
  status: 'received' | 'preprocessed' | 'recognized' | 'failed';
}

/**
 * Ingest accepted the capture, so ingest sees it through: a capture neither recognized nor failed
 * RECONCILE_AFTER_MS after it arrived has its failed preprocess or recognize job retried, or its
 * step queued again when the job is gone (a `preprocessed` capture is cut again, since the crops
 * travel in the recognize job). One that keeps failing ends `failed` with the last reason.
 */
@Injectable()
@Reconciles('capture')
export class CaptureReconcileStage implements ReconcileStage<StrandedCapture> {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly captures: CaptureService,
    private readonly failures: CaptureFailuresService,
  ) {}

  stranded(cutoff: Date, take: number, after?: string): Promise<StrandedCapture[]> {
    return findStrandedCaptures(this.prisma, cutoff, take, after);
  }

  next({ id, meterId, status }: StrandedCapture): JobStep {
    return status === 'received'
      ? { queue: QueueName.Preprocess, jobId: jobId.preprocess(id), add: () => this.captures.enqueue(id, meterId) }
      : { queue: QueueName.Recognize, jobId: jobId.recognize(id), add: () => this.captures.enqueue(id, meterId, { again: true }) };
  }

  giveUp({ id, meterId }: StrandedCapture, reason: string): Promise<void> {
    return this.failures.record({ captureId: id, meterId }, reason);
  }
}
