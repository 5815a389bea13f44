import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '@metertwin/contracts';
import { createMeterWithCamera, recordAdapter, restorePreviousAdapter, type MeterAdapter } from '@metertwin/db';
import { labelFromFileName, digitsDir } from '@metertwin/sample-data';
import { QueueService } from '@metertwin/service-kit';
import { DiskStorage } from '@metertwin/storage';
import { waitFor } from '@metertwin/testing';
import { composeMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

/** Real drum crops of one meter (packages/sample-data), standing in for the crops operators confirmed. */
const METER_CROPS = path.join(digitsDir, 'iskra-t3f-2025');
const REPLAY = ['iotson-emeter1', 'jomjol-20220606'].map((m) => path.join(digitsDir, m)).join(',');

/**
 * Learn each meter (issue 14 §2), on the real platform (Postgres, Redis, the four services in this
 * process) and the portal's own request function: labels → meter-adapt job → adapter row and files →
 * promotion → recognize reads with the adapter and records it; a wrongly labeled set is rejected; the
 * meter leaves learning only on its held-back figures; restoring puts it back on the base model.
 */
describe('per-meter adapters', () => {
  let platform: Platform;
  let storage: DiskStorage;
  let orgId: string;
  let requestAdapter: (meterId: string) => Promise<boolean>;
  let closeQueues: () => Promise<void>;
  let crops: string[];
  let historyCrops: string[];
  let seq = 0;

  beforeAll(async () => {
    platform = await startPlatform({ ADAPT_STEPS: '8', ADAPT_REPLAY_DIRS: REPLAY });
    storage = new DiskStorage(platform.env.STORAGE_DIR!);
    // The portal's code reads its configuration from the environment: the platform's.
    Object.assign(process.env, {
      DATABASE_URL: platform.env.DATABASE_URL,
      REDIS_URL: platform.env.REDIS_URL,
      QUEUE_PREFIX: platform.env.QUEUE_PREFIX,
      STORAGE_DIR: platform.env.STORAGE_DIR,
      SECRETS_KEY: platform.env.SECRETS_KEY,
      ADAPT_MIN_NEW_LABELS: '20',
    });
    const adapters = await import('../../apps/web/src/lib/adapters');
    const queues = await import('../../apps/web/src/lib/queues');
    closeQueues = queues.closeQueues;
    requestAdapter = (meterId) =>
      adapters.requestAdapterIfDue({ prisma: platform.prisma, enqueue: queues.enqueueMeterAdapt, minNewLabels: 20 }, meterId);
    orgId = (await platform.prisma.organization.create({ data: { name: 'Learning Water', slug: 'learning-water' } })).id;
    crops = (await readdir(METER_CROPS)).sort().filter((_, i) => i % 4 === 0).slice(0, 60);
    historyCrops = (await readdir(METER_CROPS)).sort().filter((_, i) => i % 4 === 2).slice(0, 10);
  });

  afterAll(async () => {
    await closeQueues?.();
    await platform?.stop();
  });

  /** A reviewed reading (its capture and row), as the review queue leaves one behind. */
  async function reviewedReading(meterId: string) {
    seq += 1;
    const capture = await platform.prisma.capture.create({
      data: { meterId, sha256: `reviewed-${seq}`, storageKey: `captures/reviewed-${seq}.jpg`, contentType: 'image/jpeg', bytes: 1, source: 'upload', takenAt: new Date(Date.now() - 86_400_000 + seq * 1000) },
    });
    return platform.prisma.reading.create({
      data: { meterId, captureId: capture.id, value: '00000.000', digits: [], confidence: 1, status: 'accepted', modelVersion: 'x', takenAt: capture.takenAt },
    });
  }

  /** Operator labels of the crops (10 per reviewed reading), with `relabel` applied: a typo'd set; or history-proven ones. */
  async function label(meterId: string, files: string[], relabel = (l: number) => l, source: 'operator_confirmation' | 'history' = 'operator_confirmation') {
    for (let i = 0; i < files.length; i += 10) {
      const reading = await reviewedReading(meterId);
      for (const file of files.slice(i, i + 10)) {
        const bytes = await readFile(path.join(METER_CROPS, file));
        const sha256 = createHash('sha256').update(bytes).update(meterId).digest('hex');
        const storageKey = `training/${orgId}/${sha256}.jpg`;
        await storage.put(storageKey, bytes);
        await platform.prisma.trainingSample.create({
          data: { orgId, meterId, readingId: reading.id, captureId: reading.captureId, kind: 'digit', index: 0, label: relabel(labelFromFileName(file)!), storageKey, sha256, source },
        });
      }
    }
  }

  async function read(meterId: string, deviceToken: string, value: string, drive?: 'jump' | 'continuous') {
    const photo = await composeMeter({ value, digits: 5, decimals: 3, seed: 11, drive });
    const response = await fetch(`${platform.ingestUrl}/v1/meters/${meterId}/captures`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${deviceToken}` },
      body: new Uint8Array(photo.jpeg),
    });
    expect(response.status).toBe(202);
    const { captureId } = (await response.json()) as { captureId: string };
    return waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), { what: 'the reading', timeoutMs: 60_000 });
  }

  const adapterOf = (meterId: string) =>
    waitFor(() => platform.prisma.meterAdapter.findFirst({ where: { meterId } }), { what: 'the adapter', timeoutMs: 150_000 });

  it('learns a meter from its labels, reads it with the promoted adapter, trusts it on its held-back figures, and restores the base model', async () => {
    const photo = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
    const meter = await createMeterWithCamera(platform.prisma, { orgId, name: 'Learned', digits: 8, decimals: 3, layout: photo.layout, trust: 'learning' });

    // A new meter is learning: its readings go to review, read by the base model.
    const first = await read(meter.meterId, meter.deviceToken, '01234.567');
    expect(first).toMatchObject({ status: 'needs_review', adapterId: null, reason: expect.stringMatching(/learning/) });

    // 10 labels are not enough for an adapter; 60 from 6 reviewed readings are.
    await label(meter.meterId, crops.slice(0, 10));
    expect(await requestAdapter(meter.meterId)).toBe(false);
    await label(meter.meterId, crops.slice(10));
    // 10 more that the history proves: trained on beside them, never held back, no reviewed readings.
    await label(meter.meterId, historyCrops, undefined, 'history');
    expect(await requestAdapter(meter.meterId)).toBe(true);

    const adapter: MeterAdapter = await waitFor(
      () => platform.prisma.meterAdapter.findFirst({ where: { meterId: meter.meterId } }),
      { what: 'the trained adapter', timeoutMs: 150_000 },
    );
    const heldBack = adapter.heldBack as { base: { n: number; right: number }; adapted: { n: number; right: number; wrongConfident: number; truthMass: number } };
    expect(adapter).toMatchObject({ status: 'promoted', kind: 'digits', labelCount: 70, reason: null });
    expect(heldBack.adapted).toMatchObject({ n: 12, wrongConfident: 0 });
    expect(heldBack).toMatchObject({ labels: { train: 48, heldBack: 12 } });
    expect(heldBack.adapted.right).toBeGreaterThanOrEqual(heldBack.base.right);
    expect(adapter.version).not.toBe(adapter.baseVersion);
    // Its model files are in the storage, under the row's prefix.
    expect(JSON.parse((await storage.get(`${adapter.storagePrefix}/adapter.json`)).toString())).toMatchObject({ version: adapter.version });
    // 12 of 12 held back right, none wrong with confidence, from 6 readings: the meter is trusted now.
    const learned = await platform.prisma.meter.findUniqueOrThrow({ where: { id: meter.meterId } });
    expect(learned.trust).toBe('trusted');
    expect(learned.trustFigures).toMatchObject({ n: 12, readings: 6, wrongConfident: 0 });
    // Nothing new since: asking again asks for nothing.
    expect(await requestAdapter(meter.meterId)).toBe(false);

    // The next capture is read by the adapter, recorded on the reading, and no longer held for learning.
    const second = await read(meter.meterId, meter.deviceToken, '01234.600');
    // 12 held-back labels are too few to learn a threshold: the service's judges its readings.
    expect(adapter).toMatchObject({ minConfidence: null, threshold: { n: 12, readings: 6, reason: expect.stringMatching(/30 needed/) } });
    expect(second).toMatchObject({ adapterId: adapter.id, modelVersion: adapter.version, minConfidence: 0.9, minConfidenceFrom: 'service' });
    expect(second.reason ?? '').not.toMatch(/learning/);

    // An admin restores the previous model: with no earlier adapter, the base.
    const admin = await platform.prisma.user.create({ data: { orgId, email: 'admin@learning.test', name: 'Ada', passwordHash: 'x', role: 'admin' } });
    const restored = await restorePreviousAdapter(platform.prisma, { orgId, meterId: meter.meterId, kind: 'digits', actorId: admin.id });
    expect(restored.restored).toBeNull();
    expect(restored.retired).toMatchObject({ id: adapter.id, status: 'retired', reason: 'an admin restored the base model' });
    expect(await platform.prisma.auditLog.findFirst({ where: { action: 'adapter.restored', entityId: meter.meterId } })).toMatchObject({ actorId: admin.id, data: { from: adapter.id, to: null } });
    // The model it was trusted with is gone: the meter is learning again, read by the base model.
    expect(await platform.prisma.meter.findUniqueOrThrow({ where: { id: meter.meterId } })).toMatchObject({ trust: 'learning' });
    const third = await read(meter.meterId, meter.deviceToken, '01234.700');
    expect(third).toMatchObject({ adapterId: null, modelVersion: adapter.baseVersion, status: 'needs_review' });
    await expect(restorePreviousAdapter(platform.prisma, { orgId, meterId: meter.meterId, kind: 'digits', actorId: admin.id })).rejects.toThrow(/base model/);
  }, 300_000);

  it('reads with the base model when the promoted adapter cannot be loaded', async () => {
    const photo = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
    const meter = await createMeterWithCamera(platform.prisma, { orgId, name: 'Lost files', digits: 8, decimals: 3, layout: photo.layout });
    const lost = await recordAdapter(platform.prisma, {
      id: crypto.randomUUID(), meterId: meter.meterId, kind: 'digits', version: 'aaaaaaaaaaaa', baseVersion: 'x', storagePrefix: `adapters/${meter.meterId}/gone`, labelCount: 20,
      heldBack: { base: { n: 4, right: 3, wrongConfident: 0, truthMass: 0.7 }, adapted: { n: 4, right: 4, wrongConfident: 0, truthMass: 0.9 } },
      minConfidence: 0.8, threshold: {},
      verdict: { promote: true },
    });
    expect(lost.status).toBe('promoted');
    const reading = await read(meter.meterId, meter.deviceToken, '01234.567');
    expect(reading.adapterId).toBeNull();
    // Nor its threshold: it was learned for the adapter's answers, not the base model's.
    expect(reading).toMatchObject({ minConfidence: 0.9, minConfidenceFrom: 'service' });
    expect(reading.modelVersion).not.toBe('aaaaaaaaaaaa');
    expect(reading.value).toBe('01234.567');
  });

  it('rejects an adapter trained on wrongly typed labels, and the meter stays learning', async () => {
    const photo = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
    const meter = await createMeterWithCamera(platform.prisma, { orgId, name: 'Typo', digits: 8, decimals: 3, layout: photo.layout, trust: 'learning' });
    // Every drum typed five off: the kind of set an operator's slip repeated over many reviews leaves.
    await label(meter.meterId, crops.slice(0, 30), (l) => Math.round(((l + 5) % 10) * 10) / 10);
    expect(await requestAdapter(meter.meterId)).toBe(true);

    const adapter = await adapterOf(meter.meterId);
    expect(adapter).toMatchObject({ status: 'rejected', labelCount: 30, reason: expect.stringMatching(/contradict the base model/) });
    expect(await platform.prisma.meterAdapter.count({ where: { meterId: meter.meterId, status: 'promoted' } })).toBe(0);
    const still = await platform.prisma.meter.findUniqueOrThrow({ where: { id: meter.meterId } });
    expect(still.trust).toBe('learning');
    expect(await platform.prisma.auditLog.findFirst({ where: { action: 'adapter.rejected', entityId: meter.meterId } })).not.toBeNull();

    // The queue holds one request per meter while it waits: a burst of reviews asks once.
    const queue = platform.apps.recognize.get(QueueService).get(QueueName.MeterAdapt);
    await queue.pause();
    await label(meter.meterId, crops.slice(30, 50));
    expect(await requestAdapter(meter.meterId)).toBe(true);
    expect(await requestAdapter(meter.meterId)).toBe(true);
    expect(await queue.getJobCountByTypes('waiting', 'paused')).toBe(1);
    await queue.obliterate({ force: true });
  }, 300_000);

  it("learns the meter's drive from the readings operators confirmed, and judges the next photo with it", async () => {
    const photo = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
    const meter = await createMeterWithCamera(platform.prisma, { orgId, name: 'Geared', digits: 8, decimals: 3, layout: photo.layout });
    // Four readings an operator confirmed whose drums stand as only a continuous counter's can (each a
    // tenth of its neighbour's turn past its digit), one corrected reading (its drums were misread: no
    // evidence), and one confirmed at rest on low neighbours (fits both drives: no evidence).
    const drumsOf = (...values: number[]) => values.map((value) => ({ value, digit: Math.floor(value), confidence: 0.97, box: [0, 0, 1, 1] }));
    const continuous = drumsOf(0.1, 1.2, 2.3, 3.5, 4.6, 5.7, 6.7, 7);
    const confirmed = [continuous, continuous, continuous, continuous, drumsOf(0, 0, 0, 0, 1, 1, 1, 1)];
    for (const [k, digits] of [...confirmed, drumsOf(0, 0, 0, 4, 5, 0, 0, 0)].entries()) {
      const reading = await reviewedReading(meter.meterId);
      await platform.prisma.reading.update({
        where: { id: reading.id },
        data: { digits, reviewedAt: new Date(), ...(k === confirmed.length ? { status: 'corrected', originalValue: '00045.000' } : {}) },
      });
    }
    await label(meter.meterId, crops.slice(0, 20));
    expect(await requestAdapter(meter.meterId)).toBe(true);
    await adapterOf(meter.meterId);
    const learned = await platform.prisma.meter.findUniqueOrThrow({ where: { id: meter.meterId } });
    expect(learned.learnedDrive).toBe('continuous');
    expect(learned.driveFigures).toMatchObject({ readings: 5, jump: 0, continuous: 4, outcome: 'learned' });
    expect(await platform.prisma.auditLog.findFirst({ where: { action: { startsWith: 'adapter.' }, entityId: meter.meterId } })).toMatchObject({ data: { learnedDrive: 'continuous' } });

    // A photo of drums resting on their digits next to neighbours half-way round: a jump counter's
    // picture, which the meter's rules (`auto`) would accept; this meter's gears cannot show it.
    const jumping = await read(meter.meterId, meter.deviceToken, '01234.567');
    expect(jumping).toMatchObject({ status: 'needs_review', reason: expect.stringMatching(/contradict a continuous drive/) });
    // Its own kind of photo reads as before.
    const reading = await read(meter.meterId, meter.deviceToken, '01234.567', 'continuous');
    expect(reading.reason ?? '').not.toMatch(/contradict/);
    expect(reading.value).toBe('01234.567');
  }, 300_000);
});
