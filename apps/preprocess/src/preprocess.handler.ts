import { Inject, Injectable } from '@nestjs/common';
import { CounterLayoutSchema, jobId, QueueName, type PreprocessJob } from '@metertwin/contracts';
import type { Prisma, PrismaClient } from '@metertwin/db';
import {
  CaptureFailuresService,
  OnJob,
  PRISMA,
  QueueService,
  STORAGE,
  UnrecoverableError,
  type JobContext,
} from '@metertwin/service-kit';
import type { ImageStorage } from '@metertwin/storage';
import { ImageRejectedError, processFrame } from '@metertwin/vision';
import { findCaptureWithMeter, markPreprocessed } from './capture.repository.js';

/**
 * Registers a capture to its meter's reference, judges its quality, cuts the digit and pointer crops
 * and hands them to recognize. A frame that cannot be aligned or read fails with the reason.
 */
@Injectable()
export class PreprocessHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(STORAGE) private readonly storage: ImageStorage,
    private readonly queues: QueueService,
    private readonly failures: CaptureFailuresService,
  ) {}

  @OnJob({ queue: QueueName.Preprocess, concurrency: 2 })
  async preprocess(job: PreprocessJob, { log, finalAttempt }: JobContext): Promise<void> {
    const capture = await findCaptureWithMeter(this.prisma, job.captureId);
    if (!capture) throw new UnrecoverableError(`capture ${job.captureId} does not exist`);
    if (capture.status === 'recognized' || capture.status === 'failed') {
      log.info({ status: capture.status }, 'capture already processed; nothing to do');
      return;
    }

    const layout = CounterLayoutSchema.safeParse(capture.meter.layout);
    if (!layout.success) {
      return this.fail(job, 'the meter has no counter layout yet: set it up in the portal');
    }

    try {
      const bytes = await this.storage.get(capture.storageKey);
      const { crops, window, digits, pointers, counter, registration, quality } = await processFrame(bytes, layout.data);
      // boxes in the original frame's pixels, for the portal to draw and the OCR to cut the window;
      // a quad layout adds `counter`: the window quad, each drum's cell and the dials as the frame shows them
      const overlay = { digits, window, pointers, ...(counter ? { counter } : {}), registration, quality };
      await markPreprocessed(this.prisma, capture.id, overlay as unknown as Prisma.InputJsonObject);
      await this.queues.add(
        QueueName.Recognize,
        { v: 1, captureId: capture.id, meterId: capture.meterId, crops },
        { jobId: jobId.recognize(capture.id) },
      );
      log.info({ crops: crops.length, registration: registration.status, quality: quality.score }, 'capture cut into crops');
    } catch (error) {
      if (error instanceof ImageRejectedError) return this.fail(job, error.message);
      if (finalAttempt) await this.failures.note(job, (error as Error).message);
      throw error;
    }
  }

  /** Records why a capture cannot be read and stops: retrying would give the same answer. */
  private async fail(job: PreprocessJob, reason: string): Promise<never> {
    await this.failures.record(job, reason);
    throw new UnrecoverableError(reason);
  }
}
