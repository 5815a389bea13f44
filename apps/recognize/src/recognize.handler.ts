import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { jobId, QueueName, type RecognizeJob } from '@metertwin/contracts';
import { Prisma, type PrismaClient, type ThresholdSource } from '@metertwin/db';
import {
  assembleValue,
  effectiveDrive,
  evaluateReading,
  intervalEnergy,
  ReadingRulesSchema,
  weighSecondOpinion,
  withPointers,
  withTrust,
  type Drive,
  type EvaluateReadingInput,
  type ReadingEvaluation,
  type ReadingRules,
} from '@metertwin/readings';
import { PointerReader } from '@metertwin/recognizer';
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
import { MeterModels } from './meter-models.service.js';
import { findCaptureToRecognize, findReadingOfCapture, insertReading, loadHistory, markCaptureRecognized, withMeterReadingsLocked } from './reading.repository.js';
import { SecondOpinionService, type OcrOutcome } from './second-opinion.service.js';
import { rebaseSuccessor } from './successor.js';

/** The meter columns the handler needs to turn drums into a judged reading. */
interface MeterShape {
  id: string;
  digits: number;
  decimals: number;
  unit: string;
  readingRules: Prisma.JsonValue;
  conversion: Prisma.JsonValue;
  layout: Prisma.JsonValue;
  ocrMode: 'off' | 'fallback' | 'compare';
  trust: 'learning' | 'trusted';
  learnedDrive: Drive | null;
}

/** The capture columns the handler needs. */
interface CaptureShape {
  id: string;
  storageKey: string;
  takenAt: Date;
  crops: Prisma.JsonValue;
  meter: MeterShape;
}

/**
 * Classifies a capture's digit crops with the meter's model (its promoted adapter or the base), judges the
 * reading against the meter's history (packages/readings `evaluateReading`, rules from
 * `Meter.readingRules`, the threshold learned with its adapter) and its trust (a learning meter's readings
 * go to review), stores it with the model, adapter and threshold that judged it, and tells notify.
 */
@Injectable()
export class RecognizeHandler implements OnApplicationShutdown {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly models: MeterModels,
    @Inject(CONFIG) private readonly config: RecognizeEnv,
    private readonly queues: QueueService,
    private readonly live: LiveEventsService,
    private readonly failures: CaptureFailuresService,
    private readonly secondOpinion: SecondOpinionService,
  ) {
    this.pointers = new PointerReader(config.POINTER_MODEL_DIR);
  }

  private readonly pointers: PointerReader;

  @OnJob({ queue: QueueName.Recognize, concurrency: 1 })
  async recognize(job: RecognizeJob, { log, finalAttempt }: JobContext): Promise<void> {
    const capture = await findCaptureToRecognize(this.prisma, job.captureId);
    if (!capture) throw new UnrecoverableError(`capture ${job.captureId} does not exist`);

    // A retry after the reading was stored only has to finish the hand-over.
    const reading =
      capture.reading ??
      (await this.storeReading(job, capture, log).catch(async (error: unknown) => {
        if (finalAttempt && !(error instanceof UnrecoverableError)) await this.failures.note(job, String(error));
        throw error;
      }));
    await markCaptureRecognized(this.prisma, capture.id);
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

  private async storeReading(job: RecognizeJob, capture: CaptureShape, log: JobContext['log']) {
    const { meter, takenAt } = capture;
    const crops = job.crops.filter((c) => c.kind === 'digit').sort((a, b) => a.index - b.index);
    if (crops.length !== meter.digits) {
      // The layout changed between preprocess and now: this capture must be cut again.
      const reason = `the meter has ${meter.digits} digits but the capture has ${crops.length} digit crops`;
      await this.failures.record(job, reason);
      throw new UnrecoverableError(reason);
    }
    const drums = await this.models.digitsFor(meter.id, log);
    const drumResults = await drums.classifier.classify(crops.map((c) => c.image));
    const dials = await this.readDials(job, log);
    const results = [...drumResults, ...dials.results];
    const shape = withPointers({ digits: meter.digits, decimals: meter.decimals }, dials.results.length);
    const { rules, minConfidenceFrom } = this.rulesOf(meter, log, drums.minConfidence, dials.results.length > 0);
    const assembled = assembleValue(results, shape, rules.drive);
    const digits = results.map((r, i) => ({
      ...(i < crops.length ? {} : { kind: 'pointer' }),
      value: r.value,
      digit: assembled.digits[i],
      confidence: r.confidence,
      box: (i < crops.length ? crops[i]! : dials.crops[i - crops.length]!).box,
    }));
    const judging = { drums: results, assembled, shape, takenAt, rules, unit: meter.unit };
    // The cloud OCR is asked outside the meter's lock: a slow answer must not hold other readings up.
    const ocr = (await this.wantsSecondOpinion(meter, judging))
      ? await this.secondOpinion.ask({
          meterId: meter.id,
          storageKey: capture.storageKey,
          crops: capture.crops,
          layout: meter.layout,
          digitBoxes: crops.map((c) => c.box),
        })
      : null;

    try {
      // One meter's readings are judged one at a time, in whatever order they arrive, on every replica:
      // the lock is held until the reading is stored, so the next one sees it in its history.
      return await withMeterReadingsLocked(this.prisma, meter.id, async (tx) => {
        // A duplicate delivery of this job stored the reading while we waited: do not judge it twice.
        const stored = await findReadingOfCapture(tx, job.captureId);
        if (stored) return stored;

        const history = await loadHistory(tx, meter.id, takenAt);
        const input: EvaluateReadingInput = { ...judging, history };
        const judged = this.withSecondOpinion(input, evaluateReading(input), ocr, meter.ocrMode);
        const { opinion } = judged;
        const verdict = withTrust(judged.verdict, meter.trust);
        // Energy only over an interval someone can vouch for: a rejected step is not consumption.
        const trusted = verdict.status === 'accepted' || verdict.status === 'corrected';
        const energy = intervalEnergy(trusted ? verdict.consumption : null, meter.conversion);
        if (energy.error) log.warn({ conversion: meter.conversion }, energy.error);
        const created = await insertReading(tx, {
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
              : new Prisma.Decimal(verdict.consumption.toFixed(shape.decimals)),
          flowPerHour: verdict.flowPerHour,
          energy: energy.energy === null ? null : new Prisma.Decimal(energy.energy.toFixed(6)),
          ocr: opinion ?? Prisma.DbNull,
          modelVersion: drums.classifier.version,
          adapterId: drums.adapterId,
          minConfidence: rules.minConfidence,
          minConfidenceFrom,
          takenAt,
        });
        if (trusted) await rebaseSuccessor(tx, created, shape, meter.conversion);
        return created;
      });
    } catch (error) {
      // Belt and braces: captureId is unique, so a delivery that stored it first wins.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        return (await findReadingOfCapture(this.prisma, job.captureId))!;
      }
      throw error;
    }
  }

  /**
   * The capture's pointer dials, read below the last drum (packages/readings withPointers). Without a
   * pointer model they are left out, with a warning: the drums alone still give a true, coarser value.
   */
  private async readDials(job: RecognizeJob, log: JobContext['log']) {
    const crops = job.crops.filter((c) => c.kind === 'pointer').sort((a, b) => a.index - b.index);
    if (crops.length === 0) return { crops, results: [] };
    const results = await this.pointers.read(crops.map((c) => c.image));
    if (results instanceof Error) {
      log.warn({ pointers: crops.length }, `pointer dials not read: ${results.message}`);
      return { crops: [], results: [] };
    }
    return { crops, results };
  }

  // After the workers have drained (service-kit drains them in beforeApplicationShutdown).
  async onApplicationShutdown(): Promise<void> {
    await this.pointers.dispose();
  }

  /**
   * `compare` always asks; `fallback` only when the drums are unsure or the history disagrees (judged
   * here without the lock, as a hint; the verdict that counts is taken under it).
   */
  private async wantsSecondOpinion(
    meter: MeterShape,
    judging: Omit<EvaluateReadingInput, 'history'>,
  ): Promise<boolean> {
    if (meter.ocrMode === 'off') return false;
    if (meter.ocrMode === 'compare') return true;
    if (judging.assembled.confidence < judging.rules.minConfidence) return true;
    const history = await loadHistory(this.prisma, meter.id, judging.takenAt);
    return evaluateReading({ ...judging, history }).status !== 'accepted';
  }

  /** Applies the OCR's answer (packages/readings weighSecondOpinion) and says what it was, for Reading.ocr. */
  private withSecondOpinion(
    input: EvaluateReadingInput,
    verdict: ReadingEvaluation,
    ocr: OcrOutcome | null,
    mode: MeterShape['ocrMode'],
  ): { verdict: ReadingEvaluation; opinion: Prisma.InputJsonObject | null } {
    if (!ocr) return { verdict, opinion: null };
    const inReview = (why: string): ReadingEvaluation =>
      verdict.status === 'needs_review'
        ? { ...verdict, reason: [verdict.reason, why].filter(Boolean).join('; ') }
        : verdict;
    if (ocr.kind === 'skipped') {
      return { verdict: inReview(`no cloud OCR: ${ocr.reason}`), opinion: { mode, skipped: ocr.reason } };
    }
    if (ocr.kind === 'failed') {
      return {
        verdict: inReview(`cloud OCR unavailable (${ocr.error.kind})`),
        opinion: { mode, provider: ocr.provider, error: ocr.error },
      };
    }
    const weighed = weighSecondOpinion(
      input,
      verdict,
      ocr.result.digits.map((d) => ({ digit: d.digit, confidence: d.confidence })),
      this.config.OCR_MIN_CONFIDENCE,
    );
    return {
      verdict: weighed.evaluation,
      opinion: {
        mode,
        provider: ocr.result.provider,
        value: weighed.ocrDigits,
        text: ocr.result.text,
        digits: ocr.result.digits.map((d) => ({ digit: d.digit, confidence: d.confidence })),
        agrees: weighed.agrees,
        effect: weighed.effect,
        cached: ocr.cached,
      },
    };
  }

  /**
   * The meter's history rules and the threshold a reading's weakest drum must reach, by precedence: the
   * meter's readingRules.minConfidence (set by a person), the promoted adapter's threshold learned from
   * the meter's labels, the service's MIN_DIGIT_CONFIDENCE. The adapter's threshold was learned on drums
   * only: with pointer dials in the reading it may raise the service's, never lower it. A drive of `auto`
   * becomes the drive learned from the meter's reviewed readings, once there is one. A broken config
   * must not stop readings: it falls back to the defaults, with a warning.
   */
  private rulesOf(
    meter: MeterShape,
    log: JobContext['log'],
    adapterMin: number | null,
    hasDials: boolean,
  ): { rules: ReadingRules; minConfidenceFrom: ThresholdSource } {
    const service = this.config.MIN_DIGIT_CONFIDENCE;
    const learned = adapterMin === null ? null : hasDials ? Math.max(adapterMin, service) : adapterMin;
    const fallback = { minConfidence: learned ?? service };
    const fallbackFrom: ThresholdSource = learned === null || learned === service ? 'service' : 'adapter';
    const raw = meter.readingRules;
    const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    const parsed = ReadingRulesSchema.safeParse(isObject ? { ...fallback, ...raw } : raw);
    const withDrive = (rules: ReadingRules): ReadingRules => ({ ...rules, drive: effectiveDrive(rules.drive, meter.learnedDrive) });
    if (parsed.success) {
      const own = isObject && (raw as Record<string, unknown>).minConfidence !== undefined;
      return { rules: withDrive(parsed.data), minConfidenceFrom: own ? 'meter_rules' : fallbackFrom };
    }
    log.warn(
      { readingRules: raw, issues: parsed.error.issues },
      'invalid Meter.readingRules: judging with the default rules',
    );
    return { rules: withDrive(ReadingRulesSchema.parse(fallback)), minConfidenceFrom: fallbackFrom };
  }
}
