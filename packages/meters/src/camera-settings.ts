import { z } from 'zod';
import { DomainError, recordAudit, type Actor } from '@metertwin/alarms';
import type { Device, PrismaClient } from '@metertwin/db';
import type { AllowEntry } from '@metertwin/egress';
import { CameraUrlSchema, cameraPolicy, checkCameraUrl } from './camera-url.js';
import { fieldChanges } from './field-changes.js';
import { findMeterDevice, findOrgMeter, updateDevice } from './meter.repository.js';

/**
 * A camera's pull settings; every field optional, absent ones stay. A null snapshotUrl or
 * pullIntervalSec makes it a pushing camera (ingest's schedule sync stops pulling it).
 */
export const CameraSettingsSchema = z
  .object({
    snapshotUrl: CameraUrlSchema.nullable(),
    pullIntervalSec: z.int().min(5).max(86_400).nullable(),
    pullTimeoutMs: z.int().min(1_000).max(60_000),
    /** AI-on-the-edge-device's own reading (http://<ip>/json), fetched with each pulled snapshot. */
    readingUrl: CameraUrlSchema.nullable(),
  })
  .partial()
  .strict();
export type CameraSettingsInput = z.output<typeof CameraSettingsSchema>;

/**
 * Saves a camera's pull settings with one audit row `meter.camera.updated` (each changed field's
 * before and after). URLs go through the same outbound policy as ingest's pulls (packages/egress,
 * the organization's device networks and `allowedHosts`): a URL a pull would refuse is refused here.
 */
export async function updateCameraSettings(
  prisma: PrismaClient,
  actor: Actor,
  target: { meterId: string; deviceId: string },
  input: CameraSettingsInput,
  allowedHosts: readonly AllowEntry[],
): Promise<Device> {
  const meter = await findOrgMeter(prisma, actor.orgId, target.meterId);
  const device = meter && (await findMeterDevice(prisma, meter.id, target.deviceId));
  if (!device) throw new DomainError('not-found', 'camera not found');
  const policy = await cameraPolicy(prisma, actor.orgId, allowedHosts);
  if (input.snapshotUrl) await checkCameraUrl(policy, input.snapshotUrl, 'snapshotUrl');
  if (input.readingUrl) await checkCameraUrl(policy, input.readingUrl, 'readingUrl');
  const changes = fieldChanges(device, input);
  if (Object.keys(changes).length === 0) return device;
  return prisma.$transaction(async (tx) => {
    const updated = await updateDevice(tx, device.id, input);
    await recordAudit(tx, actor, 'meter.camera.updated', { type: 'meter', id: meter!.id }, { deviceId: device.id, changes });
    return updated;
  });
}
