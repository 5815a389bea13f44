import type { PrismaClient } from '@metertwin/db';
import { findMeterSettingsRow } from './meter.repository';

/** What the meter's settings page shows and edits; null for another organization's meter. */
export async function getMeterSettings(prisma: PrismaClient, orgId: string, meterId: string) {
  const meter = await findMeterSettingsRow(prisma, orgId, meterId);
  if (!meter) return null;
  const { _count, devices, ...rest } = meter;
  return {
    ...rest,
    // the page learns whether a password is stored, never the (sealed) password
    devices: devices.map(({ basicAuthPassword, tokenHash, captures, ...device }) => ({
      ...device,
      hasPassword: basicAuthPassword !== null,
      hasToken: tokenHash !== null,
      lastCapture: captures[0] ?? null,
    })),
    storedPhotos: _count.captures,
  };
}
export type MeterSettings = NonNullable<Awaited<ReturnType<typeof getMeterSettings>>>;
export type CameraSettings = MeterSettings['devices'][number];
