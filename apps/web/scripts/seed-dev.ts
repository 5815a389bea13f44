// Fills a development database with a small fleet for working on the portal: meters with photos
// (from `pnpm metertwin compose` output), readings with per-digit confidence, a camera error, an
// alarm and a meter without camera. Wipes the "portal-dev" organization first; other rows stay.
// Usage: DATABASE_URL=… STORAGE_DIR=… tsx --conditions=source apps/web/scripts/seed-dev.ts --images DIR
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CounterLayoutSchema } from '@metertwin/contracts';
import { createPrismaClient, hashPassword, Prisma } from '@metertwin/db';
import { captureKey, createStorage, StorageEnvSchema } from '@metertwin/storage';

const { values } = parseArgs({ options: { images: { type: 'string' } } });
if (!values.images || !process.env.DATABASE_URL) {
  console.error(
    'usage: DATABASE_URL=… STORAGE_DIR=… seed-dev.ts --images DIR (output of `metertwin compose`)',
  );
  process.exit(2);
}
const dir = values.images;
const prisma = createPrismaClient(process.env.DATABASE_URL);
const storage = createStorage(StorageEnvSchema.parse(process.env));

interface Truth {
  file: string;
  layout: string;
  style: string;
  labels: number[];
  digits: [number, number, number, number][];
}
const truths = (await readFile(path.join(dir, 'truth.jsonl'), 'utf8'))
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Truth);

const plans = [
  {
    name: 'Building A – main supply',
    location: 'Building A, basement',
    kind: 'water' as const,
    confidences: 'high',
    camera: 'ok',
  },
  {
    name: 'Building B – hot water',
    location: 'Building B, boiler room',
    kind: 'hot_water' as const,
    confidences: 'mixed',
    camera: 'ok',
  },
  {
    name: 'Garden irrigation',
    location: 'Courtyard shaft',
    kind: 'water' as const,
    confidences: 'high',
    camera: 'error',
  },
];

try {
  await prisma.organization.deleteMany({ where: { slug: 'portal-dev' } });
  const org = await prisma.organization.create({ data: { name: 'Portal Dev Utility', slug: 'portal-dev' } });
  // Users go with the organization (cascade); the same password for all three roles.
  const passwordHash = await hashPassword('portal-dev');
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    await prisma.user.create({
      data: { orgId: org.id, email: `${role}@portal-dev.test`, name: `Dev ${role}`, role, passwordHash },
    });
  }
  console.log(
    'users admin@portal-dev.test, operator@portal-dev.test, viewer@portal-dev.test (password portal-dev)',
  );
  const now = Date.now();

  for (const [i, plan] of plans.entries()) {
    const truth = truths[i % truths.length]!;
    const layout = CounterLayoutSchema.parse(
      JSON.parse(await readFile(path.join(dir, truth.layout), 'utf8')),
    );
    const decimals = Number(truth.style.split('+')[1] ?? 0);
    const digits = layout.digits.length;
    const bytes = await readFile(path.join(dir, truth.file));
    const sha = createHash('sha256').update(bytes).digest('hex');

    const meter = await prisma.meter.create({
      data: {
        orgId: org.id,
        name: plan.name,
        location: plan.location,
        kind: plan.kind,
        digits,
        decimals,
        layout,
      },
    });
    const device = await prisma.device.create({
      data: {
        meterId: meter.id,
        name: plan.name,
        lastSeenAt: new Date(now - (plan.camera === 'error' ? 3 * 3600_000 : 60_000)),
        ...(plan.camera === 'error'
          ? { lastError: 'snapshot pull timed out after 10000 ms', lastErrorAt: new Date(now - 5 * 60_000) }
          : {}),
      },
    });
    const key = captureKey(meter.id, sha, 'image/jpeg');
    await storage.put(key, bytes, 'image/jpeg');

    // Twenty readings, 15 minutes apart, climbing to the composed photo's value.
    const finalDigits = truth.labels.slice(0, digits).map((v) => Math.floor(v));
    const finalNumber = Number(finalDigits.join('')) / 10 ** decimals;
    for (let k = 19; k >= 0; k--) {
      const takenAt = new Date(now - (plan.camera === 'error' ? 3 * 3600_000 : 90_000) - k * 15 * 60_000);
      const number = Math.max(0, finalNumber - k * 0.3);
      const text = formatValue(number, digits, decimals);
      const latest = k === 0;
      const confidences = finalDigits.map((_, d) =>
        plan.confidences === 'mixed' && latest
          ? [0.97, 0.93, 0.71, 0.95, 0.52, 0.9, 0.88, 0.91][d % 8]!
          : 0.9 + ((d * 7 + k) % 9) / 100,
      );
      const confidence = Math.min(...confidences);
      const capture = await prisma.capture.create({
        data: {
          meterId: meter.id,
          deviceId: device.id,
          sha256: latest ? sha : createHash('sha256').update(`${meter.id}:${k}`).digest('hex'),
          storageKey: key,
          contentType: 'image/jpeg',
          bytes: bytes.byteLength,
          width: layout.reference.width,
          height: layout.reference.height,
          source: 'pull',
          takenAt,
          status: 'recognized',
          crops: { digits: truth.digits.slice(0, digits) },
        },
      });
      const needsReview = confidence < 0.6;
      const reading = await prisma.reading.create({
        data: {
          meterId: meter.id,
          captureId: capture.id,
          value: text,
          numeric: new Prisma.Decimal(text),
          digits: text
            .replace('.', '')
            .split('')
            .map((c, d) => ({
              value: Number(c) + 0.1,
              digit: Number(c),
              confidence: confidences[d]!,
              box: truth.digits[d],
            })),
          confidence,
          status: needsReview ? 'needs_review' : 'accepted',
          reason: needsReview ? `lowest digit confidence ${confidence.toFixed(2)} is below 0.6` : null,
          modelVersion: 'digits-cnn@2026-11-24',
          takenAt,
        },
      });
      if (needsReview) {
        await prisma.alarm.create({
          data: {
            orgId: org.id,
            meterId: meter.id,
            type: 'needs_review',
            severity: 'warning',
            message: `Reading ${text} needs a look: one digit is uncertain`,
            readingId: reading.id,
            openKey: `${meter.id}:needs_review`,
          },
        });
      }
    }
    console.log(`meter ${meter.id} ${plan.name}`);
  }
  const bare = await prisma.meter.create({
    data: {
      orgId: org.id,
      name: 'Building C – new connection',
      location: 'Building C, ground floor',
      digits: 8,
      decimals: 3,
    },
  });
  console.log(`meter ${bare.id} (no camera yet)`);
} finally {
  await prisma.$disconnect();
}

function formatValue(n: number, digits: number, decimals: number): string {
  const scaled = Math.floor(n * 10 ** decimals + 1e-6);
  const s = String(scaled).padStart(digits, '0').slice(-digits);
  return decimals > 0 ? `${s.slice(0, digits - decimals)}.${s.slice(digits - decimals)}` : s;
}
