import type { CaptureStatus, Prisma, PrismaClient } from '@metertwin/db';

/** Data access of captures for ingest: a frame stored once per meter, and the ones stranded on the way. */

export function findCaptureBySha(db: PrismaClient, meterId: string, sha256: string): Promise<{ id: string } | null> {
  return db.capture.findUnique({ where: { meterId_sha256: { meterId, sha256 } }, select: { id: true } });
}

/** Throws Prisma's P2002 when the same frame of the same meter was recorded meanwhile. */
export function createCapture(db: PrismaClient, data: Prisma.CaptureUncheckedCreateInput): Promise<{ id: string }> {
  return db.capture.create({ data, select: { id: true } });
}

/** Captures still `received` or `preprocessed` that arrived before `cutoff`, oldest first, keyset-paged. */
export function findStrandedCaptures(
  db: PrismaClient,
  cutoff: Date,
  take: number,
  after?: string,
): Promise<{ id: string; meterId: string; status: CaptureStatus }[]> {
  return db.capture.findMany({
    where: { status: { in: ['received', 'preprocessed'] }, receivedAt: { lt: cutoff } },
    select: { id: true, meterId: true, status: true },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    take,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
}
