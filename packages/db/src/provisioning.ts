import type { CounterLayout } from '@metertwin/contracts';
import { newDeviceToken } from './device-tokens.js';
import { SecretPurpose, type SecretBox } from './secret-box.js';
import type { MeterKind, MeterTrust, Prisma, PrismaClient } from './generated/client.js';

export interface NewMeter {
  orgId: string;
  name: string;
  location?: string;
  kind?: MeterKind;
  unit?: string;
  digits: number;
  decimals: number;
  layout?: CounterLayout;
  /** learning: its readings go to review until its labels show the model reads it (default trusted). */
  trust?: MeterTrust;
  group?: string | null;
  /** IANA zone its history is bucketed in (default UTC). */
  timeZone?: string;
  /** Plausibility rules of its readings (default none). */
  readingRules?: Prisma.InputJsonValue;
}

export interface NewCamera {
  name?: string;
  /** Pulled cameras: the snapshot URL and how often to fetch it. */
  snapshotUrl?: string;
  pullIntervalSec?: number;
  pullTimeoutMs?: number;
  /** The stock ESP32 CameraWebServer's LED around each pulled photo (1–255). */
  flashIntensity?: number;
  basicAuth?: { user: string; password: string };
}

/**
 * Creates a meter with one camera and returns the camera's device token: the only time it is shown,
 * since only its hash is stored. A camera password is stored sealed (`secrets`, required with
 * one). Used by onboarding, the demo and tests alike.
 */
export async function createMeterWithCamera(
  prisma: PrismaClient,
  meter: NewMeter,
  camera: NewCamera = {},
  secrets?: SecretBox,
): Promise<{ meterId: string; deviceId: string; deviceToken: string }> {
  if (camera.basicAuth && !secrets) throw new Error('a camera password is stored sealed: pass the SecretBox');
  const { token, tokenHash } = newDeviceToken();
  const created = await prisma.meter.create({
    data: {
      orgId: meter.orgId,
      name: meter.name,
      location: meter.location ?? '',
      kind: meter.kind ?? 'water',
      unit: meter.unit ?? 'm3',
      digits: meter.digits,
      decimals: meter.decimals,
      layout: meter.layout,
      trust: meter.trust,
      group: meter.group,
      timeZone: meter.timeZone,
      readingRules: meter.readingRules,
      devices: {
        create: {
          // The meter's name, not "<meter> camera": stored data stays in no language, and the
          // portal already heads it with its word for camera.
          name: camera.name ?? meter.name,
          tokenHash,
          snapshotUrl: camera.snapshotUrl,
          pullIntervalSec: camera.pullIntervalSec,
          pullTimeoutMs: camera.pullTimeoutMs,
          flashIntensity: camera.flashIntensity,
          basicAuthUser: camera.basicAuth?.user,
          basicAuthPassword: camera.basicAuth && secrets?.seal(camera.basicAuth.password, SecretPurpose.CameraPassword),
        },
      },
    },
    include: { devices: true },
  });
  return { meterId: created.id, deviceId: created.devices[0]!.id, deviceToken: token };
}
