import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/backend.js';
import { readCalibration } from '../src/calibration.js';
import { sourceToRgb } from '../src/input.js';
import { loadLayersModelFromDir } from '../src/io.js';
import { DEFAULT_DIGIT_MODEL_DIR } from '../src/paths.js';
import { predictDigits, type Inference } from '../src/predict.js';
import type { tf } from '../src/tf.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/digits');

describe('the cascade (quickAccept)', () => {
  let model: tf.LayersModel;
  let crops: Uint8Array[];
  let inference: Inference;
  beforeAll(async () => {
    await initBackend();
    model = (await loadLayersModelFromDir(DEFAULT_DIGIT_MODEL_DIR)).model;
    const { temperature, head, shifts } = await readCalibration(DEFAULT_DIGIT_MODEL_DIR);
    inference = { temperature, head, shifts };
    const files = readdirSync(FIXTURES).filter((f) => /\.(jpg|png|bmp)$/.test(f)).sort();
    const real = await Promise.all(files.map((f) => sourceToRgb(path.join(FIXTURES, f))));
    // plus noise crops, which no view reads confidently
    const noise = Array.from({ length: 4 }, (_, k) => Uint8Array.from({ length: 20 * 32 * 3 }, (_, i) => (i * 7 + k * 13) % 256));
    crops = [...real, ...noise];
  });
  afterAll(() => model.dispose());

  it('is committed with the digit model, above the acceptance threshold', async () => {
    expect((await readCalibration(DEFAULT_DIGIT_MODEL_DIR)).quickAccept).toBe(0.99);
  });

  it('keeps the unshifted read of the sure crops and gives the others exactly the full read', async () => {
    expect(inference.shifts).toEqual([-1, 0, 1]);
    const quickAccept = 0.99;
    const full = await predictDigits(model, crops, inference);
    const unshifted = await predictDigits(model, crops, { ...inference, shifts: [0] });
    const cascade = await predictDigits(model, crops, { ...inference, quickAccept });
    const sure = unshifted.flatMap((p, i) => (p.confidence >= quickAccept ? [i] : []));
    // both kinds occur among these crops, so both branches are checked
    expect(sure.length).toBeGreaterThan(0);
    expect(sure.length).toBeLessThan(crops.length);
    cascade.forEach((p, i) => {
      if (sure.includes(i)) expect(p).toEqual(unshifted[i]);
      else {
        expect(p.value).toBe(full[i]!.value);
        expect(p.confidence).toBeCloseTo(full[i]!.confidence, 2);
      }
    });
  });
});
