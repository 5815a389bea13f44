import type { Prisma, PrismaClient } from '@metertwin/db';

/** Data access of captures for preprocess: the capture with its meter's layout, and its cut. */

export function findCaptureWithMeter(db: PrismaClient, id: string) {
  return db.capture.findUnique({ where: { id }, include: { meter: true } });
}

/** Stores where the frame's digits, window and dials are and how good it is; the capture is preprocessed. */
export async function markPreprocessed(db: PrismaClient, id: string, overlay: Prisma.InputJsonObject): Promise<void> {
  await db.capture.update({ where: { id }, data: { status: 'preprocessed', error: null, crops: overlay } });
}
