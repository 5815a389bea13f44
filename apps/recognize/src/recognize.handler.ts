import { Inject, Injectable } from '@nestjs/common';
import { jobId, QueueName, type RecognizeJob } from '@metertwin/contracts';
import { Prisma, type PrismaClient } from '@metertwin/db';
import { assembleValue, judge } from '@metertwin/readings';
import type { DigitClassifier } from '@metertwin/recognizer';
import {
  CaptureFailuresService,
  CONFIG,
  LiveEventsService,
  OnJob,
  PRISMA,
  QueueService,
  UnrecoverableError,
  type JobContext,
} from '@metertwin/service-kit';
import type { RecognizeEnv } from './config.js';
import { DIGIT_CLASSIFIER } from './digit-classifier.provider.js';

/** Classifies a capture's digit crops, turns them into a reading and tells notify. */
@Injectable()
export class RecognizeHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(DIGIT_CLASSIFIER) private readonly classifier: DigitClassifier,
    @Inject(CONFIG) private readonly config: RecognizeEnv,
    private readonly queues: QueueService,
    private readonly live: LiveEventsService,
    private readonly failures: CaptureFailuresService,
  ) {}

  @OnJob({ queue: QueueName.Recognize, concurrency: 1 })
  async recognize(job: RecognizeJob, { log, finalAttempt }: JobContext): Promise<void> {
    const capture = await this.prisma.capture.findUnique({
      where: { id: job.captureId },
      include: { meter: true, reading: true },
    });
    if (!capture) throw new UnrecoverableError(`capture ${job.captureId} does not exist`);

    // A retry after the reading was stored only has to finish the hand-over.
    const reading =
      capture.reading ??
      (await this.storeReading(job, capture.meter, capture.takenAt).catch(async (error: unknown) => {
        if (finalAttempt && !(error instanceof UnrecoverableError)) await this.failures.record(job, String(error));
        throw error;
      }));
    await this.prisma.capture.update({ where: { id: capture.id }, data: { status: 'recognized', error: null } });
    await this.queues.add(
      QueueName.Notify,
      { v: 1, readingId: reading.id, meterId: reading.meterId, captureId: capture.id },
      { jobId: jobId.notify(reading.id) },
    );
    await this.live.publish({
      v: 1,
      type: 'reading.stored',
      meterId: reading.meterId,
      readingId: reading.id,
      captureId: capture.id,
      value: reading.value,
      status: reading.status,
      at: reading.takenAt.toISOString(),
    });
    log.info({ readingId: reading.id, value: reading.value, status: reading.status }, 'reading stored');
  }

  private async storeReading(
    job: RecognizeJob,
    meter: { id: string; digits: number; decimals: number },
    takenAt: Date,
  ) {
    const crops = job.crops.filter((c) => c.kind === 'digit').sort((a, b) => a.index - b.index);
    if (crops.length !== meter.digits) {
      // The layout changed between preprocess and now: this capture must be cut again.
      const reason = `the meter has ${meter.digits} digits but the capture has ${crops.length} digit crops`;
      await this.failures.record(job, reason);
      throw new UnrecoverableError(reason);
    }
    const results = await this.classifier.classify(crops.map((c) => c.image));
    const assembled = assembleValue(results, meter);
    const verdict = judge(assembled, { minConfidence: this.config.MIN_DIGIT_CONFIDENCE });
    const data = {
      meterId: meter.id,
      captureId: job.captureId,
      value: assembled.text,
      numeric: new Prisma.Decimal(assembled.text),
      digits: results.map((r, i) => ({
        value: r.value,
        digit: assembled.digits[i],
        confidence: r.confidence,
        box: crops[i]!.box,
      })),
      confidence: assembled.confidence,
      status: verdict.status,
      reason: verdict.reason,
      modelVersion: this.classifier.version,
      takenAt,
    };
    try {
      return await this.prisma.reading.create({ data });
    } catch (error) {
      // A duplicate delivery of this job stored the reading first.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        return this.prisma.reading.findUniqueOrThrow({ where: { captureId: job.captureId } });
      }
      throw error;
    }
  }
}
