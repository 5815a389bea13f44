import type { PrismaClient } from '@metertwin/db';

/** Data access of the meter as the portal's pages read it; every lookup within one organization. */

/** Ids of the organization's meters. */
export async function findOrgMeterIds(db: PrismaClient, orgId: string): Promise<string[]> {
  return (await db.meter.findMany({ where: { orgId }, select: { id: true } })).map((m) => m.id);
}

/** The meter, if it belongs to the organization (another organization's meter is "not found"). */
export function findOrgMeterZone(
  db: PrismaClient,
  orgId: string,
  meterId: string,
): Promise<{ id: string; timeZone: string } | null> {
  return db.meter.findFirst({ where: { id: meterId, orgId }, select: { id: true, timeZone: true } });
}

/** What the twin page shows about the meter itself, with its newest active alarms. */
export function findMeterTwinRow(db: PrismaClient, orgId: string, meterId: string, alarms: number) {
  return db.meter.findFirst({
    where: { id: meterId, orgId },
    select: {
      id: true,
      name: true,
      location: true,
      kind: true,
      unit: true,
      digits: true,
      decimals: true,
      group: true,
      timeZone: true,
      conversion: true,
      layout: true,
      archivedAt: true,
      alarms: {
        where: { status: 'active' },
        orderBy: { raisedAt: 'desc' },
        take: alarms,
        select: { id: true, severity: true, message: true, messageCode: true, messageParams: true, raisedAt: true },
      },
    },
  });
}

/** The meter with its cameras (each with its newest capture) and the count of photos still stored. */
export function findMeterSettingsRow(db: PrismaClient, orgId: string, meterId: string) {
  return db.meter.findFirst({
    where: { id: meterId, orgId },
    select: {
      id: true,
      name: true,
      location: true,
      timeZone: true,
      digits: true,
      decimals: true,
      unit: true,
      ocrMode: true,
      conversion: true,
      readingRules: true,
      archivedAt: true,
      devices: {
        orderBy: { createdAt: 'asc' },
        select: {
          id: true,
          name: true,
          snapshotUrl: true,
          pullIntervalSec: true,
          pullTimeoutMs: true,
          flashIntensity: true,
          readingUrl: true,
          basicAuthUser: true,
          basicAuthPassword: true,
          tokenHash: true,
          mqttUsername: true,
          lastSeenAt: true,
          lastError: true,
          lastErrorAt: true,
          // how its last photo came, and what its firmware said about it (AI-on-the-edge-device)
          captures: { orderBy: { receivedAt: 'desc' }, take: 1, select: { source: true, receivedAt: true, deviceReading: true } },
        },
      },
      _count: { select: { captures: { where: { photoDeletedAt: null } } } },
    },
  });
}

/** The meter's first pulled camera and its newest stored photo: where a new reference photo can come from. */
export function findReferencePhotoSources(db: PrismaClient, orgId: string, meterId: string) {
  return db.meter.findFirst({
    where: { id: meterId, orgId },
    select: {
      devices: { where: { snapshotUrl: { not: null } }, orderBy: { createdAt: 'asc' }, take: 1 },
      captures: { where: { photoDeletedAt: null }, orderBy: { takenAt: 'desc' }, take: 1, select: { storageKey: true } },
    },
  });
}

/** The meter's trust in the base model and its drive (set, or learned), with the figures each was decided on. */
export function findMeterTrust(db: PrismaClient, orgId: string, meterId: string) {
  return db.meter.findFirst({
    where: { id: meterId, orgId },
    select: { trust: true, trustFigures: true, readingRules: true, learnedDrive: true, driveFigures: true },
  });
}
