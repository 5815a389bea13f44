import type { CameraPullJob } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { DomainError } from '@metertwin/alarms';
import { findMeterDevice, findOrgMeterRow } from './meter.repository.js';

/**
 * "Take a photo now" for one of the meter's cameras: the same camera-pull job a pulled camera's
 * schedule adds, once (`enqueue` gives it an id of its own), so ingest's puller fetches, stores and
 * records it as any scheduled photo; for a camera with an MQTT account (the camera agent), ingest
 * publishes a photo command it subscribes to, and the photo arrives over MQTT. A camera that pushes
 * over HTTP sends when it sends.
 */
export async function requestSnapshot(
  prisma: PrismaClient,
  orgId: string,
  meterId: string,
  deviceId: string,
  enqueue: (job: CameraPullJob) => Promise<void>,
): Promise<void> {
  const meter = await findOrgMeterRow(prisma, orgId, meterId);
  if (!meter) throw new DomainError('not-found', `meter ${meterId} does not exist`, { code: 'meter-not-found' });
  const device = await findMeterDevice(prisma, meterId, deviceId);
  if (!device) throw new DomainError('not-found', `camera ${deviceId} of meter ${meterId} does not exist`, { code: 'camera-not-found' });
  if (meter.archivedAt) throw new DomainError('conflict', 'the meter is archived: it takes no photos until it is unarchived', { code: 'meter-archived' });
  if (!device.snapshotUrl && !device.mqttUsername) {
    throw new DomainError('conflict', 'this camera pushes its photos over HTTP: it cannot be asked for one', { code: 'camera-pushes' });
  }
  await enqueue({ v: 1, meterId, deviceId });
}
