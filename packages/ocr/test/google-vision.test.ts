import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoogleVisionOcr, OcrError, assignToDrums, type Box } from '@metertwin/ocr';
import { imageSize, pngOfSize, startFakeVisionServer, type FakeVisionServer } from '@metertwin/ocr/testing';

const WINDOW = pngOfSize(400, 100);
const DRUMS: Box[] = [0, 1, 2, 3, 4].map((i) => [i * 80, 0, 80, 100] as Box);

describe('GoogleVisionOcr against a fake Cloud Vision REST endpoint', () => {
  let fake: FakeVisionServer;
  let ocr: GoogleVisionOcr;

  beforeAll(async () => {
    fake = await startFakeVisionServer();
    ocr = new GoogleVisionOcr({
      apiKey: 'test-key',
      apiEndpoint: '127.0.0.1',
      port: fake.port,
      protocol: 'http',
      timeoutMs: 500,
    });
  });
  afterAll(async () => {
    await ocr?.close();
    await fake?.close();
  });

  it('sends the image to images:annotate and puts each character on its drum', async () => {
    fake.behave({ kind: 'text', text: '01234', confidence: 0.91 });
    const result = await ocr.recognize({ image: WINDOW, digitBoxes: DRUMS });
    expect(result.provider).toBe('google-vision');
    expect(result.text.trim()).toBe('01234');
    expect(result.digits.map((d) => d.digit)).toEqual([0, 1, 2, 3, 4]);
    expect(result.digits.every((d) => d.confidence === 0.91)).toBe(true);

    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/v1/images:annotate');
    expect(sent.apiKey).toBe('test-key');
    expect(sent.images).toHaveLength(1);
    expect(sent.images[0]!.equals(WINDOW)).toBe(true);
  });

  it('leaves a drum without a character empty instead of shifting the others', async () => {
    // Only four characters, over the last four drums: the first drum read nothing.
    const boxes: Box[] = [1, 2, 3, 4].map((i) => [i * 80 + 10, 20, 60, 60] as Box);
    fake.behave({ kind: 'text', text: '1234', boxes });
    const result = await ocr.recognize({ image: WINDOW, digitBoxes: DRUMS });
    expect(result.digits.map((d) => d.digit)).toEqual([null, 1, 2, 3, 4]);
  });

  it('reports quota, server errors and timeouts as OcrError kinds', async () => {
    const before = fake.requests.length;
    fake.behave({ kind: 'quota' });
    await expect(ocr.recognize({ image: WINDOW, digitBoxes: DRUMS })).rejects.toMatchObject({
      kind: 'quota',
    });

    fake.behave({ kind: 'error', status: 500 });
    const failure = await ocr.recognize({ image: WINDOW, digitBoxes: DRUMS }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OcrError);
    expect(failure).toMatchObject({ kind: 'unavailable' });

    fake.behave({ kind: 'hang' });
    const started = Date.now();
    await expect(ocr.recognize({ image: WINDOW, digitBoxes: DRUMS })).rejects.toMatchObject({
      kind: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    // No retries: each failed call reached the endpoint exactly once.
    expect(fake.requests.length).toBe(before + 3);
  });
});

describe('assignToDrums', () => {
  it('ignores letters and refuses a drum with two different digits', () => {
    const digits = assignToDrums(
      [
        { text: '7', box: [5, 10, 30, 50], confidence: 0.9 },
        { text: '1', box: [40, 10, 30, 50], confidence: 0.8 },
        { text: 'm', box: [85, 10, 30, 50], confidence: 0.99 },
        { text: '3', box: [170, 10, 20, 50], confidence: 0.7 },
        { text: '8', box: [250, 10, 20, 50], confidence: 0.7 },
      ],
      DRUMS,
    );
    expect(digits.map((d) => d.digit)).toEqual([null, null, 3, 8, null]);
  });

  it('reads PNG and JPEG sizes', () => {
    expect(imageSize(WINDOW)).toEqual({ width: 400, height: 100 });
  });
});
