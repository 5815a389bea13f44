import type { PrismaClient } from '@metertwin/db';

/** A 2×1 PNG: real image bytes, small enough to inline. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAD0lEQVR4nGP4z8DA0PAfAAgAAn+cRUBOAAAAAElFTkSuQmCC',
  'base64',
);

export const LAYOUT = {
  v: 1,
  reference: { width: 640, height: 480 },
  window: [200, 100, 240, 80],
  digits: [
    [210, 110, 40, 60],
    [260, 110, 40, 60],
    [310, 110, 40, 60],
    [360, 110, 40, 60],
  ],
  pointers: [],
};

let counter = 0;

export async function createOrg(prisma: PrismaClient): Promise<string> {
  counter += 1;
  const org = await prisma.organization.create({
    data: { name: `Org ${counter}`, slug: `org-${Date.now()}-${counter}` },
  });
  return org.id;
}

export async function createCapture(
  prisma: PrismaClient,
  meterId: string,
  options: {
    takenAt: Date;
    storageKey?: string;
    width?: number | null;
    height?: number | null;
    status?: 'recognized' | 'failed' | 'received';
    error?: string;
    contentType?: string;
  },
) {
  counter += 1;
  return prisma.capture.create({
    data: {
      meterId,
      sha256: `${counter}`.padStart(64, 'a'),
      storageKey: options.storageKey ?? `captures/${meterId}/${counter}.png`,
      contentType: options.contentType ?? 'image/png',
      bytes: TINY_PNG.byteLength,
      width: options.width === undefined ? 1280 : options.width,
      height: options.height === undefined ? 960 : options.height,
      source: 'upload',
      takenAt: options.takenAt,
      status: options.status ?? 'recognized',
      error: options.error ?? null,
    },
  });
}

export async function createReading(
  prisma: PrismaClient,
  meterId: string,
  options: {
    takenAt: Date;
    value: string | null;
    confidence?: number;
    status?: 'accepted' | 'corrected' | 'needs_review' | 'rejected';
    digits?: unknown;
    numeric?: string | null;
    consumption?: string | null;
    flowPerHour?: number | null;
    reason?: string | null;
    capture?: { width?: number | null; height?: number | null };
  },
) {
  const capture = await createCapture(prisma, meterId, { takenAt: options.takenAt, ...options.capture });
  return prisma.reading.create({
    data: {
      meterId,
      captureId: capture.id,
      value: options.value,
      digits: (options.digits ?? []) as object,
      confidence: options.confidence ?? 0.95,
      status: options.status ?? 'accepted',
      numeric: options.numeric ?? null,
      consumption: options.consumption ?? null,
      flowPerHour: options.flowPerHour ?? null,
      reason: options.reason ?? null,
      modelVersion: 'test-model',
      takenAt: options.takenAt,
    },
  });
}
