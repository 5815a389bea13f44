import type { Device, PrismaClient } from '@metertwin/db';

/** Data access of cameras for ingest: who may upload, which cameras are pulled, and how each pull went. */

export type UploadingDevice = Device & { meter: { archivedAt: Date | null } };
export type PulledCamera = Device & { meter: { archivedAt: Date | null; org: { deviceNetworks: string[] } } };
export interface ScheduledCamera {
  id: string;
  meterId: string;
  pullIntervalSec: number | null;
}

export function findDeviceByTokenHash(db: PrismaClient, tokenHash: string): Promise<UploadingDevice | null> {
  return db.device.findUnique({ where: { tokenHash }, include: { meter: { select: { archivedAt: true } } } });
}

export async function meterExists(db: PrismaClient, meterId: string): Promise<boolean> {
  return (await db.meter.findUnique({ where: { id: meterId }, select: { id: true } })) !== null;
}

/** The meter's camera that publishes over MQTT. */
export function findMqttCamera(db: PrismaClient, meterId: string): Promise<{ id: string; meter: { archivedAt: Date | null } } | null> {
  return db.device.findFirst({
    where: { meterId, mqttUsername: { not: null } },
    select: { id: true, meter: { select: { archivedAt: true } } },
  });
}

/** A pulled camera with what a pull needs: its meter's state and its organization's device networks. */
export function findPulledCamera(db: PrismaClient, deviceId: string): Promise<PulledCamera | null> {
  return db.device.findUnique({
    where: { id: deviceId },
    include: { meter: { select: { archivedAt: true, org: { select: { deviceNetworks: true } } } } },
  });
}

/** Cameras to pull on a schedule; an archived meter's are not pulled. */
export function findScheduledCameras(db: PrismaClient): Promise<ScheduledCamera[]> {
  return db.device.findMany({
    where: { snapshotUrl: { not: null }, pullIntervalSec: { gt: 0 }, meter: { archivedAt: null } },
    select: { id: true, meterId: true, pullIntervalSec: true },
  });
}

/** The camera did its part: seen now, its last error cleared or replaced by one that cost no photo (a flash it did not take). */
export async function markCameraSeen(db: PrismaClient, deviceId: string, lastError: string | null = null): Promise<void> {
  await db.device.update({ where: { id: deviceId }, data: { lastSeenAt: new Date(), lastError, lastErrorAt: lastError ? new Date() : null } });
}

/** What went wrong with the camera, in words its operators can act on. */
export async function recordCameraError(db: PrismaClient, deviceId: string, message: string): Promise<void> {
  await db.device.update({ where: { id: deviceId }, data: { lastError: message, lastErrorAt: new Date() } });
}
