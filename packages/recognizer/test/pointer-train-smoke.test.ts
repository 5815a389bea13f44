import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDigitDataset } from '../src/dataset.js';
import { POINTER_INPUT } from '../src/input.js';
import { trainPointers } from '../src/train.js';

/** The 100 real needle crops shipped in packages/sample-data (MIT, see its ATTRIBUTION.md). */
const NEEDLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sample-data/needles');

describe('pointer training smoke test', () => {
  it('runs the pointer path (32x32 input, rotation with turned labels, junk slots) and lowers the loss', async () => {
    const dataset = await loadDigitDataset(NEEDLES, { input: POINTER_INPUT, cache: false });
    expect(dataset.samples).toHaveLength(100);
    expect(dataset.input).toEqual(POINTER_INPUT);

    const started = Date.now();
    const { model, losses, report } = await trainPointers({
      dataset,
      epochs: 1,
      stepsPerEpoch: 30,
      batchSize: 16,
      learningRate: 3e-3,
      seed: 5,
      validate: false,
      calibrationMeters: [],
    });
    const seconds = (Date.now() - started) / 1000;
    expect(model.inputs[0]!.shape).toEqual([null, 32, 32, 3]);
    expect(losses).toHaveLength(30);
    expect(losses.every(Number.isFinite)).toBe(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 8)) - 0.3);
    expect(report.kind).toBe('pointers');
    expect(report.training.augmentation).toContain('rotation');
    expect(report.junk.n).toBeGreaterThan(200);
    expect(seconds).toBeLessThan(60);
    model.dispose();
  });
});
