import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureVisionOcr, OcrError, type Box } from '@metertwin/ocr';
import { pngOfSize, startFakeAzureVisionServer, type FakeAzureVisionServer } from '@metertwin/ocr/testing';

const WINDOW = pngOfSize(400, 100);
const DRUMS: Box[] = [0, 1, 2, 3, 4].map((i) => [i * 80, 0, 80, 100] as Box);

describe('AzureVisionOcr against a fake Azure AI Vision endpoint (Image Analysis 4.0 Read)', () => {
  let fake: FakeAzureVisionServer;
  let ocr: AzureVisionOcr;

  beforeAll(async () => {
    fake = await startFakeAzureVisionServer();
    ocr = new AzureVisionOcr({ endpoint: fake.endpoint, apiKey: 'azure-test-key', timeoutMs: 500 });
  });
  afterAll(async () => {
    await ocr?.close();
    await fake?.close();
  });

  it('sends the window to imageanalysis:analyze with the Read feature and puts each character of the word on its drum', async () => {
    fake.behave({ kind: 'text', text: '01234', confidence: 0.93 });
    const result = await ocr.recognize({ image: WINDOW, digitBoxes: DRUMS });
    expect(result).toMatchObject({ provider: 'azure-vision', text: '01234' });
    expect(result.digits.map((d) => d.digit)).toEqual([0, 1, 2, 3, 4]);
    expect(result.digits.every((d) => d.confidence === 0.93)).toBe(true);
    const sent = fake.requests.at(-1)!;
    expect(sent.apiKey).toBe('azure-test-key');
    expect(sent.query.get('features')?.toLowerCase()).toBe('read');
    expect(sent.query.get('api-version')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sent.contentType).toBe('application/octet-stream');
    expect(sent.image.equals(WINDOW)).toBe(true);
  });

  it('says nothing about drums it found no digit on', async () => {
    fake.behave({ kind: 'text', text: '' });
    const result = await ocr.recognize({ image: WINDOW, digitBoxes: DRUMS });
    expect(result.digits.map((d) => d.digit)).toEqual([null, null, null, null, null]);
  });

  it('turns quota, server errors, refusals and a hanging service into OcrErrors of their kind', async () => {
    const kindOf = async () => {
      const error = await ocr.recognize({ image: WINDOW, digitBoxes: DRUMS }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OcrError);
      return (error as OcrError).kind;
    };
    fake.behave({ kind: 'quota' });
    expect(await kindOf()).toBe('quota');
    fake.behave({ kind: 'error', status: 503 });
    expect(await kindOf()).toBe('unavailable');
    fake.behave({ kind: 'error', status: 400 });
    expect(await kindOf()).toBe('rejected');
    fake.behave({ kind: 'hang' });
    const started = Date.now();
    expect(await kindOf()).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
