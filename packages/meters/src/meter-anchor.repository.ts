import type { MeterAnchor, Prisma } from '@metertwin/db';

/** Data access of meter anchors: the operator's "the meter reads X from this moment". */

type Db = Prisma.TransactionClient;

/** The anchor in force at `at`: the latest one set at or before it. */
export function findAnchorInForce(db: Db, meterId: string, at: Date): Promise<MeterAnchor | null> {
  return db.meterAnchor.findFirst({ where: { meterId, setAt: { lte: at } }, orderBy: [{ setAt: 'desc' }, { createdAt: 'desc' }] });
}

/** The first anchor set after `at`: readings beyond it belong to another stretch of the meter's history. */
export function findNextAnchor(db: Db, meterId: string, at: Date): Promise<MeterAnchor | null> {
  return db.meterAnchor.findFirst({ where: { meterId, setAt: { gt: at } }, orderBy: [{ setAt: 'asc' }, { createdAt: 'asc' }] });
}

export function insertAnchor(db: Db, data: { meterId: string; value: string; setAt: Date; reason: string; createdBy: string | null }): Promise<MeterAnchor> {
  return db.meterAnchor.create({ data });
}

export function findMeterAnchors(db: Db, meterId: string, limit = 20): Promise<MeterAnchor[]> {
  return db.meterAnchor.findMany({ where: { meterId }, orderBy: { setAt: 'desc' }, take: limit });
}
