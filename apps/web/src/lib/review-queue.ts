import type { PrismaClient } from '@metertwin/db';
import { parseCounter, parseDigits, parseLayout, scaleBox, type TwinPhoto } from './meters';
import { BoxSchema } from '@metertwin/contracts';
import { findReviewQueue } from './reading.repository';

/** Statuses that wait for a person. */
export const REVIEWABLE = ['needs_review', 'rejected'] as const;

export interface ReviewItem {
  readingId: string;
  status: 'needs_review' | 'rejected';
  value: string | null;
  reason: string | null;
  confidence: number;
  takenAt: string;
  meter: {
    id: string;
    name: string;
    location: string | null;
    unit: string;
    digits: number;
    decimals: number;
  };
  photo: Omit<TwinPhoto, 'takenAt'>;
}

export const REVIEW_PAGE_SIZE = 50;

/** Readings of the organization waiting for a person, oldest first (they have waited longest). */
export async function loadReviewQueue(
  prisma: PrismaClient,
  orgId: string,
): Promise<{ items: ReviewItem[]; total: number }> {
  const [rows, total] = await findReviewQueue(prisma, orgId, REVIEWABLE, REVIEW_PAGE_SIZE);
  const items = rows.map((r): ReviewItem => {
    const layout = parseLayout(r.meter.layout);
    const width = r.capture.width ?? layout?.reference.width ?? null;
    const height = r.capture.height ?? layout?.reference.height ?? null;
    // The window where preprocess found it in this frame, else the layout's scaled to the frame.
    const found = BoxSchema.safeParse((r.capture.crops as { window?: unknown } | null)?.window);
    const window = found.success
      ? found.data
      : layout?.window && width && height
        ? scaleBox(layout.window, layout.reference, { width, height })
        : null;
    const { id, name, location, unit, digits, decimals } = r.meter;
    return {
      readingId: r.id,
      status: r.status as ReviewItem['status'],
      value: r.value,
      reason: r.reason,
      confidence: r.confidence,
      takenAt: r.takenAt.toISOString(),
      meter: { id, name, location, unit, digits, decimals },
      photo: {
        captureId: r.capture.id,
        width,
        height,
        window,
        counter: parseCounter(r.capture.crops),
        digits: parseDigits(r.digits),
      },
    };
  });
  return { items, total };
}
