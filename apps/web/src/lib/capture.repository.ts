import type { PrismaClient } from '@metertwin/db';

/** Data access of the portal's captures (the photos cameras sent). */

/** What the image route needs of a capture of the organization (null: unknown or another organization's). */
export function findOrgCaptureImage(db: PrismaClient, orgId: string, captureId: string) {
  return db.capture.findFirst({
    where: { id: captureId, meter: { orgId } },
    select: { storageKey: true, contentType: true, sha256: true, photoDeletedAt: true },
  });
}

/** The meter's newest capture and whether it has a reading. */
export function findNewestCapture(db: PrismaClient, meterId: string) {
  return db.capture.findFirst({
    where: { meterId },
    orderBy: [{ takenAt: 'desc' }, { receivedAt: 'desc' }],
    select: { id: true, status: true, error: true, takenAt: true, reading: { select: { id: true } } },
  });
}
