import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera } from '@metertwin/db';
import { imageSize, startFakeAzureVisionServer, startFakeVisionServer, type FakeVisionServer } from '@metertwin/ocr/testing';
import { serviceUrl } from '@metertwin/service-kit';
import { recentMondayUtc, waitFor } from '@metertwin/testing';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

// Frames the committed digit model reads right (see reading-history.test.ts): the OCR decides the rest.
const FRAMES = [
  { value: '01234.567', seed: 11 },
  { value: '01234.890', seed: 12 },
  { value: '01235.210', seed: 13 },
  { value: '01235.500', seed: 15 },
  { value: '01236.100', seed: 19 },
  { value: '01240.000', seed: 20 },
  { value: '01250.000', seed: 21 },
  { value: '01260.000', seed: 22 },
] as const;
const HOUR = 3_600_000;
const START = recentMondayUtc(6);

type OcrJson = {
  mode: string;
  value?: string;
  agrees?: boolean;
  effect?: string;
  cached?: boolean;
  skipped?: string;
  error?: { kind: string };
};

describe('recognize asks Google Cloud Vision (a local fake) for a second opinion', () => {
  let platform: Platform;
  let fake: FakeVisionServer;
  let first: ComposedMeter;
  let orgId: string;
  const photos = new Map<string, ComposedMeter>();

  async function photo(index: number): Promise<ComposedMeter> {
    const { value, seed } = FRAMES[index]!;
    const key = `${value}/${seed}`;
    if (!photos.has(key)) {
      photos.set(
        key,
        await composeMeter({
          value,
          seed,
          digits: 5,
          decimals: 3,
          meter: first.truth.meter,
          mount: first.truth.mount,
        }),
      );
    }
    return photos.get(key)!;
  }

  async function newMeter(
    name: string,
    data: { ocrMode: 'off' | 'fallback' | 'compare'; readingRules?: object },
  ) {
    const meter = await createMeterWithCamera(platform.prisma, {
      orgId,
      name,
      digits: 8,
      decimals: 3,
      layout: first.layout,
    });
    await platform.prisma.meter.update({ where: { id: meter.meterId }, data });
    let hour = 0;
    return {
      ...meter,
      /** Posts frame `index` an hour after the last and waits for its reading. */
      async post(index: number) {
        const image = await photo(index);
        const takenAt = new Date(START + hour++ * HOUR);
        const response = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
          method: 'POST',
          headers: {
            'content-type': 'image/jpeg',
            authorization: `Bearer ${meter.deviceToken}`,
            'x-taken-at': takenAt.toISOString(),
          },
          body: new Uint8Array(image.jpeg),
        });
        expect(response.status).toBe(202);
        const { captureId } = (await response.json()) as { captureId: string };
        const reading = await waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), {
          what: `the reading of ${FRAMES[index]!.value}`,
        });
        return { ...reading, ocr: reading.ocr as OcrJson | null, truth: image.truth.display };
      },
    };
  }

  /** The fake reads whatever the photo really shows (its window holds the drums left to right). */
  function ocrReadsTruth(value: string) {
    fake.behave({ kind: 'text', text: value.replace('.', ''), confidence: 0.97 });
  }

  beforeAll(async () => {
    fake = await startFakeVisionServer();
    platform = await startPlatform({
      GOOGLE_VISION_API_KEY: 'test-key',
      GOOGLE_VISION_ENDPOINT: `http://127.0.0.1:${fake.port}`,
      GOOGLE_VISION_TIMEOUT_MS: '1500',
      OCR_MAX_CALLS_PER_METER_PER_HOUR: '3',
      // Seven attempts are made by the tests before the last one, which must hit this limit.
      OCR_MAX_CALLS_PER_HOUR: '7',
    });
    first = await composeMeter({ ...FRAMES[0], digits: 5, decimals: 3 });
    photos.set(`${FRAMES[0].value}/${FRAMES[0].seed}`, first);
    orgId = (await platform.prisma.organization.create({ data: { name: 'OCR Water', slug: 'ocr-water' } }))
      .id;
  });

  afterAll(async () => {
    await platform?.stop();
    await fake?.close();
  });

  it('compare mode sends the counter window only and stores both readings with their agreement', async () => {
    const meter = await newMeter('Compare', { ocrMode: 'compare' });
    ocrReadsTruth(FRAMES[0].value);
    const before = fake.requests.length;
    const reading = await meter.post(0);
    expect(reading).toMatchObject({ status: 'accepted', value: '01234.567' });
    expect(reading.ocr).toMatchObject({
      mode: 'compare',
      value: '01234567',
      agrees: true,
      effect: 'none',
      cached: false,
    });
    expect(fake.requests.length).toBe(before + 1);
    const sent = fake.requests.at(-1)!;
    expect(sent.apiKey).toBe('test-key');
    const window = imageSize(sent.images[0]!)!;
    const frame = first.layout.reference;
    // The window, not the photo: a strip much wider than tall, far smaller than the frame.
    expect(window.width).toBeLessThan(frame.width * 0.8);
    expect(window.width / window.height).toBeGreaterThan(2.5);

    // A confident OCR that reads another digit on a resting drum sends the reading to review.
    fake.behave({ kind: 'text', text: '01239890', confidence: 0.97 });
    const conflict = await meter.post(1);
    expect(conflict.status).toBe('needs_review');
    expect(conflict.reason).toMatch(/cloud OCR reads 01239890 where the drums give 01234890/);
    expect(conflict.ocr).toMatchObject({ agrees: false, effect: 'conflict' });
  });

  it('caches answers by window image: the same window on another meter does not call again', async () => {
    const meter = await newMeter('Compare twin', { ocrMode: 'compare' });
    fake.behave({ kind: 'error', status: 500 }); // would fail if it were called
    const before = fake.requests.length;
    const reading = await meter.post(0);
    expect(fake.requests.length).toBe(before);
    expect(reading.ocr).toMatchObject({ value: '01234567', agrees: true, cached: true });
    expect(reading.status).toBe('accepted');
  });

  it('fallback mode calls only when the drums are unsure, and an agreeing OCR settles the reading', async () => {
    const meter = await newMeter('Fallback', { ocrMode: 'fallback' });
    const before = fake.requests.length;
    const sure = await meter.post(2);
    expect(sure).toMatchObject({ status: 'accepted', value: '01235.210', ocr: null });
    expect(fake.requests.length).toBe(before);

    // Every drum below this confidence: the CNN alone would leave the reading to an operator.
    await platform.prisma.meter.update({
      where: { id: meter.meterId },
      data: { readingRules: { minConfidence: 0.9999 } },
    });
    ocrReadsTruth(FRAMES[3].value);
    const settled = await meter.post(3);
    expect(fake.requests.length).toBe(before + 1);
    expect(settled).toMatchObject({ status: 'accepted', value: '01235.500' });
    expect(settled.reason).toMatch(/unsure drums confirmed by the cloud OCR \(01235500\)/);
    expect(settled.ocr).toMatchObject({ mode: 'fallback', effect: 'settled', agrees: true });
    expect(Number(settled.consumption)).toBeCloseTo(0.29, 6);
  });

  it('a 500, a 429 quota answer and a timeout keep the reading in review and the service alive', async () => {
    // Every reading is unsure, and none can break a rule: only the OCR could settle them. Frames whose
    // windows the cache has not seen yet.
    const meter = await newMeter('Outage', {
      ocrMode: 'fallback',
      readingRules: { minConfidence: 0.9999, allowNegative: true },
    });
    const uncached = [2, 4, 5];
    const outcomes: Array<[Parameters<FakeVisionServer['behave']>[0], string]> = [
      [{ kind: 'error', status: 500 }, 'unavailable'],
      [{ kind: 'quota' }, 'quota'],
      [{ kind: 'hang' }, 'timeout'],
    ];
    for (const [i, [behavior, kind]] of outcomes.entries()) {
      fake.behave(behavior);
      const reading = await meter.post(uncached[i]!);
      expect(reading.status).toBe('needs_review');
      expect(reading.reason).toContain(`cloud OCR unavailable (${kind})`);
      expect(reading.ocr).toMatchObject({ mode: 'fallback', error: { kind } });
    }
    // The per-meter limit (3 an hour) is now used up: no fourth call, and the reading still waits for review.
    ocrReadsTruth(FRAMES[6].value);
    const before = fake.requests.length;
    const limited = await meter.post(6);
    expect(fake.requests.length).toBe(before);
    expect(limited.status).toBe('needs_review');
    expect(limited.ocr?.skipped).toMatch(/rate limit: more than 3 cloud OCR calls for this meter this hour/);

    const metrics = await (await fetch(`${await serviceUrl(platform.apps.recognize)}/metrics`)).text();
    for (const outcome of ['ok', 'cached', 'unavailable', 'quota', 'timeout', 'rate_limited']) {
      expect(metrics).toMatch(
        new RegExp(`metertwin_ocr_calls_total\\{[^}]*outcome="${outcome}"[^}]*\\} [1-9]`),
      );
    }
  });

  it('the installation-wide hourly limit stops calls for every meter', async () => {
    const meter = await newMeter('Global limit', { ocrMode: 'compare' });
    ocrReadsTruth(FRAMES[7].value);
    const before = fake.requests.length;
    const reading = await meter.post(7);
    expect(fake.requests.length).toBe(before);
    expect(reading.ocr?.skipped).toMatch(/rate limit: more than 7 cloud OCR calls this hour/);
    // Compare mode without an answer leaves the drums' verdict as it was.
    expect(reading.status).toBe('accepted');
  });
});

describe('recognize asks Azure AI Vision (a local fake) when it is the configured OCR', () => {
  it('compare mode sends the window to Read and stores the opinion as azure-vision', async () => {
    const fake = await startFakeAzureVisionServer();
    const platform = await startPlatform({ AZURE_VISION_ENDPOINT: fake.endpoint, AZURE_VISION_KEY: 'azure-key', AZURE_VISION_TIMEOUT_MS: '1500' });
    try {
      const photo = await composeMeter({ ...FRAMES[0], digits: 5, decimals: 3 });
      const orgId = (await platform.prisma.organization.create({ data: { name: 'Azure Water', slug: 'azure-water' } })).id;
      const meter = await createMeterWithCamera(platform.prisma, { orgId, name: 'Azure', digits: 8, decimals: 3, layout: photo.layout });
      await platform.prisma.meter.update({ where: { id: meter.meterId }, data: { ocrMode: 'compare' } });
      fake.behave({ kind: 'text', text: '01234567', confidence: 0.96 });
      const response = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${meter.deviceToken}`, 'x-taken-at': new Date(START).toISOString() },
        body: new Uint8Array(photo.jpeg),
      });
      expect(response.status).toBe(202);
      const { captureId } = (await response.json()) as { captureId: string };
      const reading = await waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), { what: 'the reading' });
      expect(reading).toMatchObject({ status: 'accepted', value: '01234.567' });
      expect(reading.ocr).toMatchObject({ provider: 'azure-vision', mode: 'compare', value: '01234567', agrees: true });
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]!.apiKey).toBe('azure-key');
      const window = imageSize(fake.requests[0]!.image)!;
      expect(window.width).toBeLessThan(photo.layout.reference.width * 0.8);
    } finally {
      await platform.stop();
      await fake.close();
    }
  });
});
