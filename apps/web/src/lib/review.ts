import type { LiveEvent, NotifyJob } from '@metertwin/contracts';
import { Prisma, type PrismaClient } from '@metertwin/db';
import { deriveConsumption, type CounterShape } from '@metertwin/readings';
import type { ImageStorage } from '@metertwin/storage';
import { z } from 'zod';
import { actorOf } from './actor';
import type { SessionUser } from './auth';
import { labelFromHistory } from './history-labels';
import { findOrgReadingForReview, storeReview } from './reading.repository';
import { REVIEWABLE } from './review-queue';
import { trainingCrops, type TrainingCrop } from './training-crops';

export { trainingCrops, type TrainingCrop } from './training-crops';

/** What an operator can do with a reading in the review queue. */
export const ReviewActionSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('confirm') }),
    z.object({ action: z.literal('correct'), value: z.string().trim().min(1).max(40) }),
  ],
  { error: 'expected {"action":"confirm"} or {"action":"correct","value":"…"}' },
);
export type ReviewAction = z.infer<typeof ReviewActionSchema>;

/** Why a review is refused, with the code (and params) the page words it by (refusal.ts). */
export class ReviewError extends Error {
  readonly code: string;
  readonly params: Record<string, string | number> | undefined;

  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    detail: { code: string; params?: Record<string, string | number> },
  ) {
    super(message);
    this.code = detail.code;
    this.params = detail.params;
  }
}

/**
 * The typed value as the counter prints it ("01234.567" for 8 drums, 3 after the point). Accepts the
 * number with its decimal point ("1234.567", leading zeros optional) or every drum without it
 * ("01234567"); anything else is refused rather than guessed.
 */
export function parseCounterValue(input: string, shape: CounterShape): string {
  const typed = input.replace(/[\s_']/g, '').replace(',', '.');
  const intDigits = shape.digits - shape.decimals;
  const example = shape.decimals > 0 ? `${'0'.repeat(intDigits - 1)}1.${'0'.repeat(shape.decimals)}` : '1';
  let integer: string;
  let fraction: string;
  if (/^\d+\.\d+$/.test(typed) && shape.decimals > 0) {
    [integer, fraction] = typed.split('.') as [string, string];
    if (fraction.length > shape.decimals) {
      throw new ReviewError(
        400,
        `the counter has ${shape.decimals} digit(s) after the point; "${input}" has more`,
        { code: 'value-decimal-drums', params: { drums: shape.decimals } },
      );
    }
    fraction = fraction.padEnd(shape.decimals, '0');
  } else if (/^\d+$/.test(typed) && (typed.length === shape.digits || shape.decimals === 0)) {
    integer = typed.slice(0, typed.length - shape.decimals);
    fraction = typed.slice(typed.length - shape.decimals);
  } else {
    throw new ReviewError(
      400,
      `"${input}" is not a reading of this counter: type the value with its point (e.g. ${example}) or all ${shape.digits} drums`,
      { code: 'value-not-a-reading', params: { example, drums: shape.digits } },
    );
  }
  integer = integer.replace(/^0+(?=\d)/, '');
  if (integer.length > intDigits) {
    throw new ReviewError(
      400,
      `"${input}" has more than the counter's ${intDigits} digit(s) before the point`,
      { code: 'value-integer-drums', params: { drums: intDigits } },
    );
  }
  integer = integer.padStart(intDigits, '0');
  return shape.decimals > 0 ? `${integer}.${fraction}` : integer;
}

export interface ReviewDeps {
  prisma: PrismaClient;
  storage: ImageStorage;
  /** Announces the changed reading on the live channel (twins and the fleet refresh). */
  publish: (event: LiveEvent) => Promise<void>;
  /** Asks for a new adapter of the meter if its labels call for one (lib/adapters requestAdapterIfDue). */
  requestAdapter: (meterId: string) => Promise<boolean>;
  /** Hands the reviewed reading to notify (lib/queues enqueueReviewedReading). */
  notifyReviewed: (job: NotifyJob, reviewedAt: Date) => Promise<void>;
}

export interface ReviewResult {
  readingId: string;
  status: 'accepted' | 'corrected';
  value: string;
  originalValue: string | null;
  trainingSamples: number;
  /** Why no training crops could be cut (the photo is gone or unreadable); the review still counts. */
  trainingSkipped?: string;
  /** Drums of unreviewed frames around this reading that the reviewed readings prove (lib/history-labels). */
  historySamples: number;
  /** The new labels made the portal ask recognize for a new adapter of the meter. */
  adapterRequested: boolean;
}

/**
 * Confirms or corrects a reading waiting for review: the reading becomes accepted/corrected (the
 * pipeline's value kept in originalValue), consumption is re-derived around it, an audit row is
 * written, and each digit crop becomes a labelled training sample. Only readings of the user's
 * organization; a reading someone else reviewed first is a 409.
 */
export async function reviewReading(
  deps: ReviewDeps,
  user: SessionUser,
  readingId: string,
  action: ReviewAction,
): Promise<ReviewResult> {
  const { prisma } = deps;
  const reading = await findOrgReadingForReview(prisma, user.orgId, readingId);
  if (!reading) throw new ReviewError(404, 'reading not found', { code: 'reading-not-found' });
  if (!(REVIEWABLE as readonly string[]).includes(reading.status)) {
    throw new ReviewError(409, `the reading is already ${reading.status}`, { code: 'reading-already-reviewed' });
  }
  const shape: CounterShape = { digits: reading.meter.digits, decimals: reading.meter.decimals };
  let value: string;
  if (action.action === 'confirm') {
    if (reading.value === null)
      throw new ReviewError(400, 'nothing was read from this photo: type the value instead', { code: 'nothing-read' });
    value = reading.value;
  } else {
    value = parseCounterValue(action.value, shape);
  }
  const changed = value !== reading.value;
  const status = changed ? 'corrected' : 'accepted';
  const source = changed ? 'operator_correction' : 'operator_confirmation';

  // Crops first, outside the transaction: storage writes are content-addressed and harmless to repeat.
  let crops: TrainingCrop[] = [];
  let trainingSkipped: string | undefined;
  try {
    const bytes = await deps.storage.get(reading.capture.storageKey);
    crops = await trainingCrops(bytes, reading.capture.crops, reading.meter.layout);
    if (crops.length === 0) trainingSkipped = 'the meter has no counter layout';
  } catch (error) {
    trainingSkipped = `no crops from the photo: ${(error as Error).message}`;
  }
  const labels = value.replace('.', '');
  crops = crops.filter((c) => c.index < labels.length);
  for (const c of crops) {
    await deps.storage.put(`training/${reading.meter.orgId}/${c.sha256}.png`, c.png, 'image/png');
  }

  const now = new Date();
  const samples = await storeReview(prisma, {
    reading,
    waiting: REVIEWABLE,
    numeric: Number(value),
    review: {
      status,
      value,
      numeric: new Prisma.Decimal(value),
      originalValue: changed ? reading.value : null,
      reviewedBy: user.id,
      reviewedAt: now,
      // A reading good now feeds the rules, webhooks and exports: notify's reconciler sees to it if
      // the job below is lost.
      notifiedAt: null,
    },
    measure: (from, to) => deriveConsumption(from, to, shape),
    audit: {
      actor: actorOf(user),
      action: changed ? 'reading.corrected' : 'reading.confirmed',
      data: { from: reading.value, to: value, previousStatus: reading.status, trainingSamples: crops.length },
    },
    samples: crops.map((c) => ({
      orgId: reading.meter.orgId,
      meterId: reading.meterId,
      readingId: reading.id,
      captureId: reading.captureId,
      kind: 'digit',
      index: c.index,
      label: Number(labels[c.index]),
      storageKey: `training/${reading.meter.orgId}/${c.sha256}.png`,
      sha256: c.sha256,
      source,
      createdBy: user.id,
    })),
  });
  if (samples === null) throw new ReviewError(409, 'someone else reviewed this reading first', { code: 'reviewed-by-someone-else' });

  await deps
    .publish({
      v: 1,
      type: 'reading.stored',
      meterId: reading.meterId,
      readingId: reading.id,
      captureId: reading.captureId,
      value,
      status,
      at: now.toISOString(),
    })
    .catch(() => {
      /* the review is stored; twins catch up on their next reading or reload */
    });
  await deps
    .notifyReviewed({ v: 1, readingId: reading.id, meterId: reading.meterId, captureId: reading.captureId }, now)
    .catch(() => {
      /* notifiedAt is cleared: notify's reconciler adds the job */
    });
  // The review is stored either way. History labels are extra (a failure costs only them); a lost
  // adapter request is made again by the meter's next review, which counts the labels anew.
  const historySamples = await labelFromHistory(deps, reading.meter, {
    takenAt: reading.takenAt,
    value,
  }).catch(() => 0);
  const adapterRequested =
    samples + historySamples > 0 ? await deps.requestAdapter(reading.meterId).catch(() => false) : false;
  return {
    readingId: reading.id,
    status,
    value,
    originalValue: changed ? reading.value : null,
    trainingSamples: samples,
    ...(trainingSkipped ? { trainingSkipped } : {}),
    historySamples,
    adapterRequested,
  };
}
