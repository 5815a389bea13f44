import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDigitDataset, POINTER_INPUT } from '@metertwin/recognizer';
import { trainPointers } from '../src/train.js';

/** The 100 real needle crops shipped in packages/sample-data (MIT, see its ATTRIBUTION.md). */
const NEEDLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sample-data/needles');

describe('pointer training smoke test', () => {
  it('runs the pointer path (32x32 input, Gaussian targets, junk slots) and starts lowering the loss', async () => {
    const dataset = await loadDigitDataset(NEEDLES, { input: POINTER_INPUT, cache: false });
    expect(dataset.samples).toHaveLength(100);
    expect(dataset.input).toEqual(POINTER_INPUT);

    const started = Date.now();
    const { model, losses, report } = await trainPointers({
      dataset,
      epochs: 1,
      stepsPerEpoch: 60,
      batchSize: 16,
      learningRate: 1e-3,
      seed: 5,
      validate: false,
      calibrationMeters: [],
    });
    const seconds = (Date.now() - started) / 1000;
    expect(model.inputs[0]!.shape).toEqual([null, 32, 32, 3]);
    expect(losses).toHaveLength(60);
    expect(losses.every(Number.isFinite)).toBe(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The Gaussian target's own entropy is ~2.7 nats, so the loss falls from ~4.6 towards that.
    console.log('pointer smoke losses', mean(losses.slice(0, 10)).toFixed(3), mean(losses.slice(-10)).toFixed(3));
    // Only the start of learning fits in a smoke test: pointers leave the chance plateau after ~150
    // steps (see models/pointers/README.md); the rotation itself is checked in augment.test.ts.
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) - 0.15);
    expect(report.kind).toBe('pointers');
    expect(report.training.targets).toContain('Gaussian');
    expect(report.training.augmentation).toContain('rotation');
    expect(report.junk.n).toBeGreaterThan(200);
    expect(seconds).toBeLessThan(60);
    model.dispose();
  });

  it('trains on real crops only with --synthetic 0 (the default for pointers), and mixes in synthetic dials with a share', async () => {
    const dataset = await loadDigitDataset(NEEDLES, { input: POINTER_INPUT, cache: false });
    const run = async (syntheticShare?: number) => {
      const { model, losses, report } = await trainPointers({
        dataset,
        epochs: 1,
        stepsPerEpoch: 6,
        batchSize: 8,
        seed: 9,
        validate: false,
        calibrationMeters: [],
        syntheticShare,
        syntheticCount: 64,
      });
      model.dispose();
      return { losses, synthetic: report.training.synthetic };
    };
    const [byDefault, zero, mixed] = [await run(), await run(0), await run(0.5)];
    expect(zero.losses).toEqual(byDefault.losses);
    expect(zero.synthetic).toBe('none');
    expect(mixed.synthetic).toContain('synthetic dials');
    expect(mixed.losses).not.toEqual(zero.losses);
  });
});
