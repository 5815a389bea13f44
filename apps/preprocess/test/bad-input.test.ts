import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplication } from '@nestjs/common';
import { jobId, QueueName } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { QueueService } from '@metertwin/service-kit';
import { captureKey, DiskStorage, type ImageStorage } from '@metertwin/storage';
import { createTestDatabase, uniqueQueuePrefix, waitFor, type TestDatabase } from '@metertwin/testing';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';
import { startPreprocess } from '../src/index.js';

/**
 * Frames go straight into the preprocess service (stored, recorded, queued: what ingest does) so
 * that even images ingest would refuse reach it: each bad one fails with a clear reason in bounded
 * time, and the service still cuts a good frame afterwards.
 */
describe('preprocess service with bad input (real Postgres, Redis, disk storage)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let prisma: PrismaClient;
  let storage: ImageStorage;
  let storageDir: string;
  let meterId: string;
  let good: ComposedMeter;

  beforeAll(async () => {
    db = await createTestDatabase();
    storageDir = await mkdtemp(join(tmpdir(), 'metertwin-preprocess-'));
    app = await startPreprocess(
      {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: uniqueQueuePrefix(),
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'error',
        STORAGE_DIR: storageDir,
      },
      { handleSignals: false },
    );
    prisma = createPrismaClient(db.url);
    storage = new DiskStorage(storageDir);
    good = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11, effects: 0.6, jitter: 1 });
    const org = await prisma.organization.create({ data: { name: 'Bad Input Water', slug: 'bad-input' } });
    ({ meterId } = await createMeterWithCamera(prisma, { orgId: org.id, name: 'Cellar', digits: 5, decimals: 3, layout: good.layout }));
  });

  afterAll(async () => {
    await app?.close();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  async function feed(bytes: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const storageKey = captureKey(meterId, sha256, 'image/jpeg');
    await storage.put(storageKey, bytes, 'image/jpeg');
    const capture = await prisma.capture.create({
      data: { meterId, sha256, storageKey, contentType: 'image/jpeg', bytes: bytes.length, source: 'upload', takenAt: new Date() },
    });
    await app.get(QueueService).add(QueueName.Preprocess, { v: 1, captureId: capture.id, meterId }, { jobId: jobId.preprocess(capture.id) });
    return capture.id;
  }

  const settled = (id: string) =>
    waitFor(
      async () => {
        const c = await prisma.capture.findUniqueOrThrow({ where: { id } });
        return c.status === 'failed' || c.status === 'preprocessed' ? c : undefined;
      },
      { what: 'preprocess to settle the capture', timeoutMs: 20_000 },
    );

  it('fails blank, black, tiny, huge, broken and non-meter frames with a clear reason, in bounded time', async () => {
    const flat = (background: string, width = 640, height = 480) =>
      sharp({ create: { width, height, channels: 3, background } }).jpeg().toBuffer();
    const noise = Buffer.alloc(640 * 480 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const cases: [string, Buffer, RegExp][] = [
      ['blank', await flat('#ffffff'), /frame quality too low: .*low-contrast/],
      ['black', await flat('#000000'), /frame quality too low: too-dark/],
      ['tiny', await flat('#7a7a7a', 8, 6), /8×6 px: too small/],
      // 144 megapixels: refused from the header, never decoded
      ['huge', await sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#888' } }).jpeg({ quality: 30 }).toBuffer(), /MP, more than the limit/],
      ['broken', good.jpeg.subarray(0, Math.floor(good.jpeg.length / 3)), /truncated|corrupt|decode|broken/i],
      ['not a meter', await sharp(noise, { raw: { width: 640, height: 480, channels: 3 } }).jpeg().toBuffer(), /cannot be aligned/],
      ['another view', await sharp(good.jpeg).rotate(180).jpeg().toBuffer(), /cannot be aligned/],
    ];
    for (const [name, bytes, reason] of cases) {
      const t0 = Date.now();
      const capture = await settled(await feed(bytes));
      const ms = Date.now() - t0;
      expect({ name, status: capture.status }).toEqual({ name, status: 'failed' });
      expect(capture.error, name).toMatch(reason);
      expect(ms, `${name} took ${ms} ms`).toBeLessThan(10_000);
      expect(capture.crops, name).toBeNull();
    }
  });

  it('still cuts a good frame afterwards and stores window, boxes, the counter quad, registration and quality', async () => {
    const capture = await settled(await feed(good.jpeg));
    expect(capture.status).toBe('preprocessed');
    const crops = capture.crops as {
      digits: number[][];
      window: number[];
      counter: { quad: number[][]; drums: number[][][]; dials: number[][] };
      registration: { status: string; marks: { inliers: number } };
      quality: { score: number; reasons: string[] };
    };
    expect(crops.digits).toHaveLength(8);
    expect(crops.window).toHaveLength(4);
    // the overlay's quad: the composer's drum row, where the shaken camera put it
    expect(crops.counter.drums).toHaveLength(8);
    expect(crops.counter.dials).toEqual([]);
    crops.counter.drums.forEach((cell, i) => {
      const [x, y, w, h] = good.truth.digits[i]!;
      const [cx, cy] = [cell.reduce((a, p) => a + p[0]!, 0) / 4, cell.reduce((a, p) => a + p[1]!, 0) / 4];
      expect(Math.hypot(cx - (x + w / 2), cy - (y + h / 2)), `drum ${i}`).toBeLessThan(3);
    });
    expect(crops.counter.quad[0]).toEqual(crops.counter.drums[0]![0]);
    expect(crops.registration.status).toBe('aligned');
    expect(crops.registration.marks.inliers).toBeGreaterThanOrEqual(4);
    expect(crops.quality.reasons).toEqual([]);
    // the boxes are where the (shaken) camera put the digits
    crops.digits.forEach((box, i) => {
      const t = good.truth.digits[i]!;
      expect(Math.abs(box[0]! - t[0]) + Math.abs(box[1]! - t[1])).toBeLessThan(6);
    });
  });
});
