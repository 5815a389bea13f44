import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DigitClassifier, loadDigitClassifier } from '../src/classifier.js';
import { labelFromName } from '../src/dataset.js';
import { isTolerantHit } from '../src/metrics.js';
import { DEFAULT_DIGIT_MODEL_DIR } from '../src/paths.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/digits');
const files = readdirSync(FIXTURES)
  .filter((f) => /\.(jpg|png|bmp)$/.test(f))
  .sort();

describe('the committed digit model', () => {
  let classifier: DigitClassifier;
  beforeAll(async () => {
    classifier = await loadDigitClassifier();
  });
  afterAll(() => classifier.dispose());

  it('has a version derived from its weights file', () => {
    const weights = readFileSync(path.join(DEFAULT_DIGIT_MODEL_DIR, 'weights.bin'));
    expect(classifier.version).toBe(createHash('sha256').update(weights).digest('hex').slice(0, 12));
    // Under 1 MB of weights.
    expect(weights.length).toBeLessThan(1_000_000);
  });

  it('reads real crops of train meters (21 fixtures, one BMP)', async () => {
    expect(files).toHaveLength(21);
    const results = await classifier.classify(files.map((f) => path.join(FIXTURES, f)));
    let strict = 0;
    let tolerant = 0;
    let tenths = 0;
    const misses: string[] = [];
    results.forEach((r, i) => {
      const truth = labelFromName(files[i]!)!;
      expect(r.digit).toBe(Math.floor(r.value));
      expect(r.confidence).toBeGreaterThan(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      if (r.digit === Math.floor(truth)) strict++;
      else misses.push(`${files[i]} → ${r.value}`);
      if (isTolerantHit(truth, r.digit)) tolerant++;
      if (Math.abs(Math.round(truth * 10) - Math.round(r.value * 10)) <= 1) tenths++;
    });
    expect(strict, `misses: ${misses.join(', ')}`).toBeGreaterThanOrEqual(18);
    expect(tolerant, `misses: ${misses.join(', ')}`).toBeGreaterThanOrEqual(19);
    expect(tenths).toBeGreaterThanOrEqual(17);
  });

  it('gives the same answer for a CropImage as for its file, alone or in a batch', async () => {
    const file = path.join(FIXTURES, files[4]!);
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const crop = { width: info.width, height: info.height, channels: 3 as const, data: data.toString('base64') };
    const [fromCrop] = await classifier.classify([crop]);
    const batch = await classifier.classify(files.map((f) => path.join(FIXTURES, f)));
    expect(fromCrop).toEqual(batch[4]);
  });
});

describe('calibration.json beside a model', () => {
  it('scales the confidence by its temperature and leaves the values alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metertwin-calibrated-'));
    try {
      for (const f of ['model.json', 'weights.bin']) copyFileSync(path.join(DEFAULT_DIGIT_MODEL_DIR, f), path.join(dir, f));
      writeFileSync(path.join(dir, 'calibration.json'), JSON.stringify({ temperature: 1, fittedOn: 'test', n: 0, brier: 0 }));
      const plain = await loadDigitClassifier(dir);
      writeFileSync(path.join(dir, 'calibration.json'), JSON.stringify({ temperature: 4, fittedOn: 'test', n: 0, brier: 0 }));
      const flat = await loadDigitClassifier(dir);
      const inputs = files.slice(0, 8).map((f) => path.join(FIXTURES, f));
      const [a, b] = [await plain.classify(inputs), await flat.classify(inputs)];
      expect(b.map((r) => r.value)).toEqual(a.map((r) => r.value));
      b.forEach((r, i) => expect(r.confidence).toBeLessThan(a[i]!.confidence));
      writeFileSync(path.join(dir, 'calibration.json'), JSON.stringify({ temperature: -1 }));
      await expect(loadDigitClassifier(dir)).rejects.toThrow(/temperature must be positive/);
      plain.dispose();
      flat.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
