import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveChannel, type CounterLayout } from '@metertwin/contracts';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, waitFor, type TestDatabase } from '@metertwin/testing';
import { composeMeter } from '@metertwin/composer';
import { processFrame } from '@metertwin/vision';
import { parseCounterValue, ReviewError, trainingCrops } from '../src/lib/review';
import { loadReviewQueue } from '../src/lib/review-queue';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie, type TestUser } from './support/auth';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let POST: typeof import('../src/app/api/readings/[id]/review/route').POST;
let db: TestDatabase;
let prisma: PrismaClient;
let storage: DiskStorage;
let storageDir: string;
let subscriber: Redis;
const published: string[] = [];
let orgId: string;
let meterId: string;
let layout: CounterLayout;
let jpeg: Buffer;
let operator: TestUser;
let operatorCookie: string;
let viewerCookie: string;
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-review-'));
  process.env.DATABASE_URL = db.url;
  process.env.STORAGE_DIR = storageDir;
  process.env.REDIS_URL = REDIS_URL;
  delete process.env.S3_BUCKET;
  ({ POST } = await import('../src/app/api/readings/[id]/review/route'));
  prisma = createPrismaClient(db.url);
  storage = new DiskStorage(storageDir);
  subscriber = new Redis(REDIS_URL);
  await subscriber.subscribe(LiveChannel);
  subscriber.on('message', (_channel: string, message: string) => published.push(message));

  // A real photo of an 8-drum counter (5 + 3 decimals) showing 01234.567, and its layout.
  const composed = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11, effects: 0.1 });
  jpeg = composed.jpeg;
  layout = composed.layout;
  orgId = await createOrg(prisma);
  meterId = (
    await prisma.meter.create({ data: { orgId, name: 'Review meter', digits: 8, decimals: 3, layout } })
  ).id;
  operator = await createUser(prisma, { orgId, role: 'operator' });
  operatorCookie = await sessionCookie(prisma, operator.id);
  viewerCookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient; __mtLivePublisher?: Redis };
  await g.__mtLivePublisher?.quit();
  await g.__mtPrisma?.$disconnect();
  await subscriber?.quit();
  await prisma?.$disconnect();
  await db?.drop();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

/** A reading waiting for review, on a stored capture of the composed photo (preprocess's boxes in crops). */
async function pendingReading(options: {
  value: string | null;
  takenAt: Date;
  status?: 'needs_review' | 'rejected' | 'accepted';
  meter?: string;
}) {
  seq += 1;
  const key = `captures/${seq}.jpg`;
  await storage.put(key, jpeg);
  const capture = await prisma.capture.create({
    data: {
      meterId: options.meter ?? meterId,
      sha256: `${seq}`.padStart(64, 'b'),
      storageKey: key,
      contentType: 'image/jpeg',
      bytes: jpeg.byteLength,
      width: layout.reference.width,
      height: layout.reference.height,
      source: 'upload',
      takenAt: options.takenAt,
      status: 'recognized',
      crops: { digits: layout.digits, window: layout.window },
    },
  });
  return prisma.reading.create({
    data: {
      meterId: options.meter ?? meterId,
      captureId: capture.id,
      value: options.value,
      numeric: options.value === null ? null : options.value,
      digits: [],
      confidence: 0.42,
      status: options.status ?? 'needs_review',
      modelVersion: 'test',
      takenAt: options.takenAt,
    },
  });
}

const review = (id: string, body: unknown, cookie: string | null = operatorCookie) =>
  POST(apiRequest(`/api/readings/${id}/review`, { cookie, method: 'POST', json: body }), {
    params: Promise.resolve({ id }),
  });

describe('parseCounterValue', () => {
  const shape = { digits: 8, decimals: 3 };
  it('prints the value as the counter does', () => {
    expect(parseCounterValue('1234.567', shape)).toBe('01234.567');
    expect(parseCounterValue('01234567', shape)).toBe('01234.567');
    expect(parseCounterValue('1234,5', shape)).toBe('01234.500');
    expect(parseCounterValue('42', { digits: 5, decimals: 0 })).toBe('00042');
  });
  it('refuses what it would have to guess', () => {
    for (const bad of ['1234', '123456.789', '1.2345', 'abc', '12.3.4']) {
      expect(() => parseCounterValue(bad, shape)).toThrow(ReviewError);
    }
  });
});

describe('POST /api/readings/[id]/review', () => {
  it('corrects a reading: audit row, one labelled 20×32 training crop per drum, live event, consumption', async () => {
    const t0 = new Date('2026-03-01T10:00:00Z');
    await pendingReading({
      value: '01234.000',
      takenAt: new Date(t0.getTime() - 3600_000),
      status: 'accepted',
    });
    const reading = await pendingReading({ value: '01234.561', takenAt: t0 });

    const res = await review(reading.id, { action: 'correct', value: '1234.567' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      readingId: reading.id,
      status: 'corrected',
      value: '01234.567',
      originalValue: '01234.561',
      trainingSamples: 8,
      historySamples: 0,
      adapterRequested: false,
    });

    const stored = await prisma.reading.findUniqueOrThrow({ where: { id: reading.id } });
    expect(stored).toMatchObject({ status: 'corrected', value: '01234.567', originalValue: '01234.561' });
    expect(stored.reviewedBy).toBe(operator.id);
    expect(stored.reviewedAt).toBeInstanceOf(Date);
    expect(Number(stored.numeric)).toBe(1234.567);
    expect(Number(stored.consumption)).toBeCloseTo(0.567, 6);
    expect(stored.flowPerHour).toBeCloseTo(0.567, 6);

    const audit = await prisma.auditLog.findMany({ where: { entityType: 'reading', entityId: reading.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      orgId,
      actorType: 'user',
      actorId: operator.id,
      action: 'reading.corrected',
    });
    expect(audit[0]!.data).toMatchObject({
      from: '01234.561',
      to: '01234.567',
      previousStatus: 'needs_review',
    });

    const samples = await prisma.trainingSample.findMany({
      where: { readingId: reading.id },
      orderBy: { index: 'asc' },
    });
    expect(samples.map((s) => s.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(samples.map((s) => s.source))).toEqual(new Set(['operator_correction']));
    for (const s of samples) {
      expect(s).toMatchObject({
        orgId,
        meterId,
        captureId: reading.captureId,
        kind: 'digit',
        createdBy: operator.id,
      });
      const meta = await sharp(await storage.get(s.storageKey)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 20, 32]);
    }
    // Different drums give different crops.
    expect(new Set(samples.map((s) => s.sha256)).size).toBe(8);

    await waitFor(async () => published.some((m) => m.includes(reading.id)), {
      timeoutMs: 5000,
      what: 'live event',
    });
    const event = JSON.parse(published.find((m) => m.includes(reading.id))!) as Record<string, unknown>;
    expect(event).toMatchObject({ type: 'reading.stored', meterId, value: '01234.567', status: 'corrected' });

    // Reviewed once: a second attempt is a conflict and changes nothing.
    const again = await review(reading.id, { action: 'confirm' });
    expect(again.status).toBe(409);
    expect(await prisma.auditLog.count({ where: { entityId: reading.id } })).toBe(1);
  });

  it('confirms a reading as read (Enter): accepted, labels from its own value', async () => {
    const reading = await pendingReading({
      value: '01234.567',
      takenAt: new Date('2026-03-02T10:00:00Z'),
      status: 'rejected',
    });
    const res = await review(reading.id, { action: 'confirm' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'accepted', value: '01234.567', originalValue: null });
    const stored = await prisma.reading.findUniqueOrThrow({ where: { id: reading.id } });
    expect(stored).toMatchObject({ status: 'accepted', originalValue: null, reviewedBy: operator.id });
    expect(
      await prisma.auditLog.count({ where: { entityId: reading.id, action: 'reading.confirmed' } }),
    ).toBe(1);
    // The same photo as the corrected one: its crops are the same images, stored once.
    expect(await prisma.trainingSample.count({ where: { readingId: reading.id } })).toBe(0);
    expect(await prisma.trainingSample.count({ where: { source: 'operator_correction' } })).toBe(8);
  });

  it('refuses a bad value with a clear message and keeps the reading waiting', async () => {
    const reading = await pendingReading({ value: null, takenAt: new Date('2026-03-03T10:00:00Z') });
    const confirm = await review(reading.id, { action: 'confirm' });
    expect(confirm.status).toBe(400);
    expect((await confirm.json()).error).toMatch(/type the value/);
    const bad = await review(reading.id, { action: 'correct', value: '12' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe(
      '"12" is not a reading of this counter: type the value with its point (e.g. 00001.000) or all 8 drums',
    );
    expect((await review(reading.id, { action: 'guess' })).status).toBe(400);
    expect((await prisma.reading.findUniqueOrThrow({ where: { id: reading.id } })).status).toBe(
      'needs_review',
    );
    expect(await prisma.auditLog.count({ where: { entityId: reading.id } })).toBe(0);
  });

  it('401 signed out, 403 for a viewer, 404 for another organization’s reading', async () => {
    const reading = await pendingReading({ value: '01234.567', takenAt: new Date('2026-03-04T10:00:00Z') });
    expect((await review(reading.id, { action: 'confirm' }, null)).status).toBe(401);
    expect((await review(reading.id, { action: 'confirm' }, viewerCookie)).status).toBe(403);
    const otherOrg = await createOrg(prisma);
    const otherMeter = (
      await prisma.meter.create({ data: { orgId: otherOrg, name: 'Theirs', digits: 8, decimals: 3, layout } })
    ).id;
    const theirs = await pendingReading({ value: '01234.567', takenAt: new Date(), meter: otherMeter });
    expect((await review(theirs.id, { action: 'confirm' })).status).toBe(404);
    expect((await prisma.reading.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe(
      'needs_review',
    );

    const queue = await loadReviewQueue(prisma, orgId);
    expect(queue.items.map((i) => i.readingId)).toContain(reading.id);
    expect(queue.items.map((i) => i.readingId)).not.toContain(theirs.id);
    expect(queue.items.every((i) => i.status === 'needs_review' || i.status === 'rejected')).toBe(true);
  });
});

describe('training crops of a reviewed capture', () => {
  it('are cut from the window quad preprocess found, like the crops it read (a counter turned 35°, COMPOSED)', async () => {
    const mount = { rotationDeg: 35, shift: [0, 0] as [number, number], tilt: [0.08, 0.04] as [number, number] };
    const meter = await composeMeter({ value: '00530.12', digits: 5, decimals: 2, seed: 7, whiteOnBlack: true, mount, effects: 0.3, jitter: 1 });
    const processed = await processFrame(meter.jpeg, meter.layout);
    // what preprocess stores in Capture.crops
    const stored = { digits: processed.digits, counter: processed.counter };
    const training = await trainingCrops(meter.jpeg, JSON.parse(JSON.stringify(stored)), meter.layout);
    expect(training).toHaveLength(7);
    for (const [i, crop] of training.entries()) {
      const got = await sharp(crop.png).greyscale().raw().toBuffer();
      const read = processed.crops[i]!.image;
      const want = await sharp(Buffer.from(read.data, 'base64'), { raw: { width: read.width, height: read.height, channels: 3 } }).greyscale().raw().toBuffer();
      expect(correlation(got, want), `drum ${i}`).toBeGreaterThan(0.9);
    }
  });
});

function correlation(a: Buffer, b: Buffer): number {
  const mean = (x: Buffer) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
