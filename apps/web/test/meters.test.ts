import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { meterCameraState } from '../src/lib/camera-health';
import { getMeterTwin, HISTORY_LENGTH, parseDigits } from '../src/lib/meters';
import { createCapture, createOrg, createReading, LAYOUT } from './fixtures';

let db: TestDatabase;
let prisma: PrismaClient;
let orgId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe('getMeterTwin', () => {
  it('returns null for an unknown meter', async () => {
    expect(await getMeterTwin(prisma, orgId, 'no-such-meter')).toBeNull();
  });

  it("returns null for another organization's meter", async () => {
    const meter = await prisma.meter.create({
      data: { orgId, name: 'Ours', digits: 5, timeZone: 'Europe/Berlin' },
    });
    const other = await createOrg(prisma);
    expect(await getMeterTwin(prisma, other, meter.id)).toBeNull();
    expect((await getMeterTwin(prisma, orgId, meter.id))?.meter).toMatchObject({
      timeZone: 'Europe/Berlin',
      energy: false,
    });
  });

  it('scales the layout window onto the frame and keeps the digit boxes of the latest reading', async () => {
    const meter = await prisma.meter.create({
      data: { orgId, name: 'Twin', digits: 4, decimals: 1, layout: LAYOUT },
    });
    const digits = [
      { value: 1.1, digit: 1, confidence: 0.95, box: [420, 220, 80, 120] },
      { value: 2.0, digit: 2, confidence: 0.7, box: [520, 220, 80, 120] },
      { value: 3.5, digit: 3, confidence: 0.4, box: [620, 220, 80, 120] },
      { value: 4.0, digit: 4, confidence: 0.9, box: [720, 220, 80, 120] },
      { nonsense: true },
    ];
    const reading = await createReading(prisma, meter.id, {
      takenAt: minutesAgo(1),
      value: '123.4',
      confidence: 0.4,
      status: 'needs_review',
      digits,
      capture: { width: 1280, height: 960 },
    });

    const twin = (await getMeterTwin(prisma, orgId, meter.id))!;
    expect(twin.meter).toMatchObject({ id: meter.id, name: 'Twin', digits: 4, decimals: 1 });
    expect(twin.meter.layout?.reference).toEqual({ width: 640, height: 480 });
    expect(twin.reading).toMatchObject({
      id: reading.id,
      value: '123.4',
      status: 'needs_review',
      modelVersion: 'test-model',
    });
    expect(twin.photo).toMatchObject({ captureId: reading.captureId, width: 1280, height: 960 });
    // The layout was drawn on a 640×480 reference; this frame is twice as large.
    expect(twin.photo!.window).toEqual([400, 200, 480, 160]);
    expect(twin.photo!.digits).toHaveLength(4);
    expect(twin.photo!.digits[2]).toEqual({
      value: 3.5,
      digit: 3,
      confidence: 0.4,
      box: [620, 220, 80, 120],
    });
    expect(twin.history.map((r) => r.id)).toEqual([reading.id]);
    expect(twin.pendingCapture).toBeNull();
  });

  it('carries the window quad and drum cells preprocess found for a turned counter', async () => {
    const meter = await prisma.meter.create({
      data: { orgId, name: 'Turned', digits: 2, decimals: 0, layout: LAYOUT },
    });
    const reading = await createReading(prisma, meter.id, { takenAt: minutesAgo(1), value: '12' });
    const cell = (x: number): [number, number][] => [
      [x, 100],
      [x + 40, 128],
      [x + 20, 156],
      [x - 20, 128],
    ];
    const counter = {
      quad: [
        [300, 100],
        [380, 156],
        [360, 184],
        [280, 128],
      ],
      drums: [cell(300), cell(340)],
      dials: [],
    };
    await prisma.capture.update({
      where: { id: reading.captureId },
      data: { crops: { digits: [], counter } },
    });
    const twin = (await getMeterTwin(prisma, orgId, meter.id))!;
    expect(twin.photo!.counter).toEqual({ quad: counter.quad, drums: counter.drums });
    // a capture without one (an upright layout) has none
    await prisma.capture.update({ where: { id: reading.captureId }, data: { crops: { digits: [] } } });
    expect((await getMeterTwin(prisma, orgId, meter.id))!.photo!.counter).toBeNull();
  });

  it('falls back to the layout reference size when the capture has none', async () => {
    const meter = await prisma.meter.create({
      data: { orgId, name: 'No size', digits: 4, decimals: 0, layout: LAYOUT },
    });
    await createReading(prisma, meter.id, {
      takenAt: minutesAgo(1),
      value: '1234',
      capture: { width: null, height: null },
    });
    const twin = (await getMeterTwin(prisma, orgId, meter.id))!;
    expect(twin.photo).toMatchObject({ width: 640, height: 480, window: [200, 100, 240, 80] });
  });

  it('keeps the last readings newest first and reports a newer capture that has no reading', async () => {
    const meter = await prisma.meter.create({ data: { orgId, name: 'History', digits: 5, decimals: 0 } });
    for (let i = 0; i < HISTORY_LENGTH + 5; i++) {
      await createReading(prisma, meter.id, { takenAt: minutesAgo(100 - i), value: String(10000 + i) });
    }
    const failed = await createCapture(prisma, meter.id, {
      takenAt: minutesAgo(1),
      status: 'failed',
      error: 'image too dark',
    });

    const twin = (await getMeterTwin(prisma, orgId, meter.id))!;
    expect(twin.history).toHaveLength(HISTORY_LENGTH);
    expect(twin.history[0]!.value).toBe(String(10000 + HISTORY_LENGTH + 4));
    expect(twin.history.at(-1)!.value).toBe('10005');
    expect(twin.reading!.value).toBe('10024');
    // No layout: the photo is shown without the counter window.
    expect(twin.photo).toMatchObject({ window: null, width: 1280 });
    expect(twin.pendingCapture).toMatchObject({ id: failed.id, status: 'failed', error: 'image too dark' });
  });

  it('shows a meter without readings', async () => {
    const meter = await prisma.meter.create({ data: { orgId, name: 'Empty', digits: 5, decimals: 0 } });
    const twin = (await getMeterTwin(prisma, orgId, meter.id))!;
    expect(twin).toMatchObject({
      reading: null,
      photo: null,
      pendingCapture: null,
      history: [],
      camera: { state: 'none' },
    });
  });
});

describe('meterCameraState (the one definition the fleet list uses too)', () => {
  const t = (m: number) => minutesAgo(m);
  const stateOf = async (...devices: Record<string, unknown>[]) => {
    const meter = await prisma.meter.create({ data: { orgId, name: 'Cam', digits: 5 } });
    for (const [i, d] of devices.entries()) {
      await prisma.device.create({
        data: { meterId: meter.id, name: `c${i}`, pullIntervalSec: 60, ...d },
      });
    }
    return meterCameraState(prisma, meter.id);
  };

  it('is in error only while the last error is newer than the last frame, naming the newest failing camera', async () => {
    expect(await stateOf({ lastSeenAt: t(1), lastError: 'old', lastErrorAt: t(10) })).toMatchObject({
      state: 'ok',
    });
    expect(await stateOf({ lastSeenAt: t(10), lastError: 'new', lastErrorAt: t(1) })).toMatchObject({
      state: 'error',
      message: 'new',
    });
    expect(
      await stateOf(
        { lastSeenAt: t(10), lastError: 'older', lastErrorAt: t(5) },
        { lastSeenAt: t(10), lastError: 'newest', lastErrorAt: t(2) },
      ),
    ).toMatchObject({ state: 'error', devices: 2, device: 'c1', message: 'newest' });
  });

  it('is stale after 3 pull intervals (an hour for a pushing camera) or before any frame', async () => {
    expect(await stateOf({ lastSeenAt: t(2) })).toMatchObject({ state: 'ok' });
    expect(await stateOf({ lastSeenAt: t(4) })).toMatchObject({ state: 'stale' });
    expect(await stateOf({ pullIntervalSec: null, lastSeenAt: t(50) })).toMatchObject({ state: 'ok' });
    expect(await stateOf({ pullIntervalSec: null, lastSeenAt: t(70) })).toMatchObject({ state: 'stale' });
    expect(await stateOf({ lastSeenAt: null })).toEqual({ state: 'stale', devices: 1, lastSeenAt: null });
    expect(await stateOf()).toEqual({ state: 'none' });
  });
});

describe('parseDigits', () => {
  it('drops entries that do not fit instead of failing', () => {
    expect(parseDigits(null)).toEqual([]);
    expect(parseDigits([{ value: 1, confidence: 0.9 }, 'x', { value: 'a' }])).toEqual([
      { value: 1, digit: null, confidence: 0.9, box: null },
    ]);
  });
});
