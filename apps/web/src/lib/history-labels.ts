import type { PrismaClient } from '@metertwin/db';
import { provenDrums } from '@metertwin/readings';
import type { ImageStorage } from '@metertwin/storage';
import { trainingCrops } from './training-crops';

/** Frames labeled per span between two reviewed readings: spread over it, so its lighting varies. */
const FRAMES_PER_SPAN = 4;
/** Frames of a span looked at to choose them from. */
const SPAN_SCAN = 500;

/** Readings a person vouched for: reviewed, with a value. */
const VOUCHED = {
  status: { in: ['accepted' as const, 'corrected' as const] },
  reviewedBy: { not: null },
  value: { not: null },
};

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
    prisma.reading.findFirst({
      where: { meterId: meter.id, ...VOUCHED, takenAt: { lt: reviewed.takenAt } },
      orderBy: { takenAt: 'desc' },
      select: { takenAt: true, value: true },
    }),
    prisma.reading.findFirst({
      where: { meterId: meter.id, ...VOUCHED, takenAt: { gt: reviewed.takenAt } },
      orderBy: { takenAt: 'asc' },
      select: { takenAt: true, value: true },
    }),
  ]);
  let added = 0;
  for (const [lo, hi] of [
    [before, reviewed],
    [reviewed, after],
  ] as const) {
    if (!lo?.value || !hi?.value) continue;
    const digits = provenDrums(lo.value, hi.value);
    if (digits.length === 0) continue;
    const frames = await prisma.reading.findMany({
      where: { meterId: meter.id, reviewedBy: null, takenAt: { gt: lo.takenAt, lt: hi.takenAt } },
      orderBy: { takenAt: 'asc' },
      take: SPAN_SCAN,
      select: { id: true, captureId: true, capture: { select: { storageKey: true, crops: true } } },
    });
    const step = Math.max(1, Math.floor(frames.length / FRAMES_PER_SPAN));
    for (const frame of frames.filter((_, i) => i % step === 0).slice(0, FRAMES_PER_SPAN)) {
      const bytes = await deps.storage.get(frame.capture.storageKey).catch(() => null);
      if (!bytes) continue;
      const crops = (await trainingCrops(bytes, frame.capture.crops, meter.layout)).filter(
        (c) => c.index < digits.length,
      );
      for (const c of crops)
        await deps.storage.put(`training/${meter.orgId}/${c.sha256}.png`, c.png, 'image/png');
      const created = await prisma.trainingSample.createMany({
        data: crops.map((c) => ({
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
        skipDuplicates: true,
      });
      added += created.count;
    }
  }
  return added;
}
