import { Inject, Injectable } from '@nestjs/common';
import { jobId, QueueName, type RecognizeJob } from '@metertwin/contracts';
import { Prisma, type PrismaClient } from '@metertwin/db';
import {
  assembleValue,
  evaluateReading,
  ReadingRulesSchema,
  type ReadingHistory,
  type ReadingRules,
} from '@metertwin/readings';
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

/** The meter columns the handler needs to turn drums into a judged reading. */
interface MeterShape {
  id: string;
  digits: number;
  decimals: number;
  unit: string;
  readingRules: Prisma.JsonValue;
}

/** Longest a reading may wait for the meter's lock and hold it (another replica evaluating the same meter). */
const HISTORY_TX = { maxWait: 10_000, timeout: 30_000 };

/**
 * Classifies a capture's digit crops, judges the reading against the meter's history (packages/readings
 * `evaluateReading`, rules from `Meter.readingRules`), stores it and tells notify.
 */
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
      (await this.storeReading(job, capture.meter, capture.takenAt, log).catch(async (error: unknown) => {
        if (finalAttempt && !(error instanceof UnrecoverableError))
          await this.failures.record(job, String(error));
        throw error;
      }));
    await this.prisma.capture.update({
      where: { id: capture.id },
      data: { status: 'recognized', error: null },
    });
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

  private async storeReading(job: RecognizeJob, meter: MeterShape, takenAt: Date, log: JobContext['log']) {
    const crops = job.crops.filter((c) => c.kind === 'digit').sort((a, b) => a.index - b.index);
    if (crops.length !== meter.digits) {
      // The layout changed between preprocess and now: this capture must be cut again.
      const reason = `the meter has ${meter.digits} digits but the capture has ${crops.length} digit crops`;
      await this.failures.record(job, reason);
      throw new UnrecoverableError(reason);
    }
    const results = await this.classifier.classify(crops.map((c) => c.image));
    const shape = { digits: meter.digits, decimals: meter.decimals };
    const assembled = assembleValue(results, shape);
    const rules = this.rulesOf(meter, log);
    const digits = results.map((r, i) => ({
      value: r.value,
      digit: assembled.digits[i],
      confidence: r.confidence,
      box: crops[i]!.box,
    }));

    try {
      // One meter's readings are judged one at a time, in whatever order they arrive, on every replica:
      // the lock is held until the reading is stored, so the next one sees it in its history.
      return await this.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${meter.id}))`;
        // A duplicate delivery of this job stored the reading while we waited: do not judge it twice.
        const stored = await tx.reading.findUnique({ where: { captureId: job.captureId } });
        if (stored) return stored;

        const history = await loadHistory(tx, meter.id, takenAt);
        const verdict = evaluateReading({
          drums: results,
          assembled,
          shape,
          history,
          takenAt,
          rules,
          unit: meter.unit,
        });
        return tx.reading.create({
          data: {
            meterId: meter.id,
            captureId: job.captureId,
            value: verdict.value,
            numeric: new Prisma.Decimal(verdict.value),
            digits,
            confidence: verdict.confidence,
            status: verdict.status,
            reason: verdict.reason,
            corrections: verdict.corrections.map((c) => ({ ...c })),
            reanchored: verdict.reanchored,
            consumption:
              verdict.consumption === null
                ? null
                : new Prisma.Decimal(verdict.consumption.toFixed(meter.decimals)),
            flowPerHour: verdict.flowPerHour,
            modelVersion: this.classifier.version,
            takenAt,
          },
        });
      }, HISTORY_TX);
    } catch (error) {
      // Belt and braces: captureId is unique, so a delivery that stored it first wins.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        return this.prisma.reading.findUniqueOrThrow({ where: { captureId: job.captureId } });
      }
      throw error;
    }
  }

  /**
   * The meter's history rules, with the service's MIN_DIGIT_CONFIDENCE unless the meter sets its own. A
   * broken config must not stop readings: it falls back to the defaults, with a warning.
   */
  private rulesOf(meter: MeterShape, log: JobContext['log']): ReadingRules {
    const defaults = { minConfidence: this.config.MIN_DIGIT_CONFIDENCE };
    const raw = meter.readingRules;
    const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    const parsed = ReadingRulesSchema.safeParse(isObject ? { ...defaults, ...raw } : raw);
    if (parsed.success) return parsed.data;
    log.warn(
      { readingRules: raw, issues: parsed.error.issues },
      'invalid Meter.readingRules: judging with the default rules',
    );
    return ReadingRulesSchema.parse(defaults);
  }
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * The meter's latest accepted or corrected reading (by takenAt) and the readings rejected after it, up to
 * `takenAt`, oldest first. needs_review readings are neither: nobody vouched for them yet. A capture taken
 * before `previous` (arrived late) goes to review in evaluateReading.
 */
async function loadHistory(tx: Tx, meterId: string, takenAt: Date): Promise<ReadingHistory> {
  const previous = await tx.reading.findFirst({
    where: { meterId, status: { in: ['accepted', 'corrected'] }, numeric: { not: null } },
    orderBy: [{ takenAt: 'desc' }, { createdAt: 'desc' }],
    select: { numeric: true, takenAt: true },
  });
  const rejected = previous
    ? await tx.reading.findMany({
        where: {
          meterId,
          status: 'rejected',
          numeric: { not: null },
          takenAt: { gt: previous.takenAt, lte: takenAt },
        },
        orderBy: [{ takenAt: 'asc' }, { createdAt: 'asc' }],
        select: { numeric: true, takenAt: true },
      })
    : [];
  const timed = (r: { numeric: Prisma.Decimal | null; takenAt: Date }) => ({
    numeric: Number(r.numeric),
    takenAt: r.takenAt,
  });
  return { previous: previous ? timed(previous) : null, rejected: rejected.map(timed) };
}
