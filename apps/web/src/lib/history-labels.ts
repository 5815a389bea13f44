import type { PrismaClient } from '@metertwin/db';
import { provenDrums } from '@metertwin/readings';
import type { ImageStorage } from '@metertwin/storage';
import { findGoodNeighbour, findUnreviewedBetween } from './reading.repository';
import { insertTrainingSamples } from './training-sample.repository';
import { trainingCrops } from './training-crops';

/** Frames labeled per span between two reviewed readings: spread over it, so its lighting varies. */
const FRAMES_PER_SPAN = 4;
/** Frames of a span looked at to choose them from. */
const SPAN_SCAN = 500;

/** Of the accepted and corrected readings, those a person vouched for: reviewed, with a value. */
const VOUCHED = { reviewedBy: { not: null }, value: { not: null } };
const SPAN_END = { takenAt: true, value: true } as const;

/**
 * After a review: the drums of unreviewed frames that the reviewed reading and its reviewed neighbour
 * prove (packages/readings provenDrums), stored as TrainingSample rows of source `history`. Their labels
 * come from what people confirmed, never from what the model read on those frames. Returns how many
 * were added.
 */
export async function labelFromHistory(
  deps: { prisma: PrismaClient; storage: ImageStorage },
  meter: { id: string; orgId: string; layout: unknown },
  reviewed: { takenAt: Date; value: string },
): Promise<number> {
  const { prisma } = deps;
  const [before, after] = await Promise.all([
    findGoodNeighbour(prisma, meter.id, 'before', reviewed.takenAt, SPAN_END, VOUCHED),
    findGoodNeighbour(prisma, meter.id, 'after', reviewed.takenAt, SPAN_END, VOUCHED),
  ]);
  let added = 0;
  for (const [lo, hi] of [
    [before, reviewed],
    [reviewed, after],
  ] as const) {
    if (!lo?.value || !hi?.value) continue;
    const digits = provenDrums(lo.value, hi.value);
    if (digits.length === 0) continue;
    const frames = await findUnreviewedBetween(prisma, meter.id, lo.takenAt, hi.takenAt, SPAN_SCAN);
    const step = Math.max(1, Math.floor(frames.length / FRAMES_PER_SPAN));
    for (const frame of frames.filter((_, i) => i % step === 0).slice(0, FRAMES_PER_SPAN)) {
      const bytes = await deps.storage.get(frame.capture.storageKey).catch(() => null);
      if (!bytes) continue;
      const crops = (await trainingCrops(bytes, frame.capture.crops, meter.layout)).filter(
        (c) => c.index < digits.length,
      );
      for (const c of crops)
        await deps.storage.put(`training/${meter.orgId}/${c.sha256}.png`, c.png, 'image/png');
      added += await insertTrainingSamples(
        prisma,
        crops.map((c) => ({
          orgId: meter.orgId,
          meterId: meter.id,
          readingId: frame.id,
          captureId: frame.captureId,
          kind: 'digit',
          index: c.index,
          label: digits[c.index]!,
          storageKey: `training/${meter.orgId}/${c.sha256}.png`,
          sha256: c.sha256,
          source: 'history' as const,
        })),
      );
    }
  }
  return added;
}
