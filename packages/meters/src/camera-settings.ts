import { z } from 'zod';
import { DomainError, recordAudit, type Actor } from '@metertwin/alarms';
import { SecretPurpose, type Device, type Prisma, type PrismaClient, type SecretBox } from '@metertwin/db';
import type { AllowEntry } from '@metertwin/egress';
import { CameraUrlSchema, cameraPolicy, checkCameraUrl } from './camera-url.js';
import { fieldChanges } from './field-changes.js';
import { findMeterDevice, findOrgMeterRow, updateDevice } from './meter.repository.js';

/** The stock ESP32 CameraWebServer's LED for a pulled photo: its led_intensity, 1–255. */
export const FlashIntensitySchema = z.int().min(1).max(255);

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
    /** The stock ESP32 CameraWebServer's LED for each pulled photo (its led_intensity 1–255); null: no flash. */
    flashIntensity: FlashIntensitySchema.nullable(),
    /** The camera's user and password; no password keeps the stored one, null removes both. */
    basicAuth: z.object({ user: z.string().trim().min(1).max(200), password: z.string().max(200).optional() }).strict().nullable(),
  })
  .partial()
  .strict();
export type CameraSettingsInput = z.output<typeof CameraSettingsSchema>;

/** The device columns for `basicAuth`, the password sealed; and what the audit row may say of it (never the password). */
function credentials(device: Device, basicAuth: CameraSettingsInput['basicAuth'], secrets: SecretBox) {
  if (basicAuth === undefined) return { data: {}, audit: {} };
  if (basicAuth === null) {
    const removed = device.basicAuthUser !== null || device.basicAuthPassword !== null;
    return {
      data: { basicAuthUser: null, basicAuthPassword: null },
      audit: removed ? { basicAuthUser: { before: device.basicAuthUser, after: null }, basicAuthPassword: { before: 'set', after: null } } : {},
    };
  }
  const data: Prisma.DeviceUpdateInput = { basicAuthUser: basicAuth.user };
  if (basicAuth.password !== undefined) data.basicAuthPassword = secrets.seal(basicAuth.password, SecretPurpose.CameraPassword);
  return {
    data,
    audit: {
      ...fieldChanges(device, { basicAuthUser: basicAuth.user }),
      ...(basicAuth.password !== undefined ? { basicAuthPassword: { before: device.basicAuthPassword ? 'set' : null, after: 'replaced' } } : {}),
    },
  };
}

/**
 * Saves a camera's pull settings with one audit row `meter.camera.updated` (each changed field's
 * before and after; of the password only that it was replaced). URLs go through the same outbound
 * policy as ingest's pulls (packages/egress, the organization's device networks and `allowedHosts`):
 * a URL a pull would refuse is refused here. The password is stored sealed with `secrets`.
 */
export async function updateCameraSettings(
  prisma: PrismaClient,
  actor: Actor,
  target: { meterId: string; deviceId: string },
  input: CameraSettingsInput,
  deps: { allowedHosts: readonly AllowEntry[]; secrets: SecretBox },
): Promise<Device> {
  const meter = await findOrgMeterRow(prisma, actor.orgId, target.meterId);
  const device = meter && (await findMeterDevice(prisma, meter.id, target.deviceId));
  if (!device) throw new DomainError('not-found', 'camera not found', { code: 'camera-not-found' });
  const policy = await cameraPolicy(prisma, actor.orgId, deps.allowedHosts);
  if (input.snapshotUrl) await checkCameraUrl(policy, input.snapshotUrl, 'snapshotUrl');
  if (input.readingUrl) await checkCameraUrl(policy, input.readingUrl, 'readingUrl');
  const { basicAuth, ...urlsAndTimes } = input;
  const auth = credentials(device, basicAuth, deps.secrets);
  const changes = { ...fieldChanges(device, urlsAndTimes), ...auth.audit };
  if (Object.keys(changes).length === 0) return device;
  return prisma.$transaction(async (tx) => {
    const updated = await updateDevice(tx, device.id, { ...urlsAndTimes, ...auth.data });
    await recordAudit(tx, actor, 'meter.camera.updated', { type: 'meter', id: meter!.id }, { deviceId: device.id, changes });
    return updated;
  });
}
