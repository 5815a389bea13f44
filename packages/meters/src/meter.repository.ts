import type { Device, Meter, Prisma } from '@metertwin/db';

/** Data access of the meter and its cameras for the settings operations. */

type Db = Prisma.TransactionClient;

/** The organization's meter, every column (what a change compares against), or null for another organization's meter. */
export function findOrgMeterRow(db: Db, orgId: string, meterId: string): Promise<Meter | null> {
  return db.meter.findFirst({ where: { id: meterId, orgId } });
}

/** One of the meter's cameras, or null. */
export function findMeterDevice(db: Db, meterId: string, deviceId: string): Promise<Device | null> {
  return db.device.findFirst({ where: { id: deviceId, meterId } });
}

export function updateMeter(db: Db, meterId: string, data: Prisma.MeterUpdateInput): Promise<Meter> {
  return db.meter.update({ where: { id: meterId }, data });
}

export function updateDevice(db: Db, deviceId: string, data: Prisma.DeviceUpdateInput): Promise<Device> {
  return db.device.update({ where: { id: deviceId }, data });
}

/** Storage keys of every image kept for the meter: its capture photos (not yet removed by retention) and training crops. */
export async function findMeterImageKeys(db: Db, meterId: string): Promise<string[]> {
  const [captures, samples] = await Promise.all([
    db.capture.findMany({ where: { meterId, photoDeletedAt: null }, select: { storageKey: true } }),
    db.trainingSample.findMany({ where: { meterId }, select: { storageKey: true } }),
  ]);
  return [...captures, ...samples].map((row) => row.storageKey);
}

/** Deletes the meter; its cameras, captures, readings, rules, alarms … go with it (ON DELETE CASCADE). */
export async function deleteMeterRow(db: Db, meterId: string): Promise<void> {
  await db.meter.delete({ where: { id: meterId } });
}
