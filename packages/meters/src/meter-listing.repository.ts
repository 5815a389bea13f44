import { afterKey, pageOf, type Page, type PageKey, type Prisma, type PrismaClient } from '@metertwin/db';

/** Data access of meters and their readings as API clients page through them. */

const meterSelect = {
  id: true,
  name: true,
  location: true,
  group: true,
  kind: true,
  unit: true,
  digits: true,
  decimals: true,
  timeZone: true,
  createdAt: true,
  archivedAt: true,
} as const satisfies Prisma.MeterSelect;

const readingSelect = {
  id: true,
  captureId: true,
  value: true,
  numeric: true,
  status: true,
  reason: true,
  confidence: true,
  consumption: true,
  flowPerHour: true,
  energy: true,
  takenAt: true,
} as const satisfies Prisma.ReadingSelect;

export type MeterListing = Prisma.MeterGetPayload<{ select: typeof meterSelect }>;
export type ReadingListing = Prisma.ReadingGetPayload<{ select: typeof readingSelect }>;

/** The organization's meters, oldest first, `limit` after `after`. */
export async function findOrgMetersPage(
  db: PrismaClient,
  orgId: string,
  page: { limit: number; after: PageKey | null },
): Promise<Page<MeterListing>> {
  const rows = await db.meter.findMany({
    where: { orgId, ...(page.after ? afterKey('createdAt', page.after, 'asc') : {}) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: page.limit + 1,
    select: meterSelect,
  });
  return pageOf(rows, page.limit, (m) => m.createdAt);
}

/** One meter of the organization; null for an unknown id or another organization's meter. */
export function findOrgMeter(db: PrismaClient, orgId: string, id: string): Promise<MeterListing | null> {
  return db.meter.findFirst({ where: { id, orgId }, select: meterSelect });
}

/** A meter's readings taken in [from, to), newest first, `limit` after `after`. */
export async function findMeterReadingsPage(
  db: PrismaClient,
  meterId: string,
  page: { limit: number; after: PageKey | null; from?: Date; to?: Date },
): Promise<Page<ReadingListing>> {
  const rows = await db.reading.findMany({
    where: {
      meterId,
      takenAt: { gte: page.from, lt: page.to },
      ...(page.after ? afterKey('takenAt', page.after, 'desc') : {}),
    },
    orderBy: [{ takenAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
    select: readingSelect,
  });
  return pageOf(rows, page.limit, (r) => r.takenAt);
}
