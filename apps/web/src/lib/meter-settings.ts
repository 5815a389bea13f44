import type { PrismaClient } from '@metertwin/db';

/** What the meter's settings page shows and edits; null for another organization's meter. */
export async function getMeterSettings(prisma: PrismaClient, orgId: string, meterId: string) {
  const meter = await prisma.meter.findFirst({
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
