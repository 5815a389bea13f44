import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIGIT_DATA, loadDigitDataset } from '@metertwin/recognizer';
import { trainDigits } from '../src/train.js';

/**
 * Keeps the training code working: a short run on ~200 real crops of three train meters must
 * lower the loss on those crops. Needs the shared data set (../shared/data/meter-digits), present
 * in CI; fails with a clear message when it is not.
 */
const METERS = new Set(['watermeter/Techem/V_DR', 'gasmeter/GMT/iotson', 'powermeter/emeter1']);

describe('digit training smoke test', () => {
  it('lowers the loss on ~200 crops within 30 steps', async () => {
    if (!existsSync(DEFAULT_DIGIT_DATA)) {
      throw new Error(
        `training data not found at ${DEFAULT_DIGIT_DATA} (clone the shared data next to the repository to run this test)`,
      );
    }
    let n = 0;
    const dataset = await loadDigitDataset(DEFAULT_DIGIT_DATA, {
      // Every 16th crop of three train meters (scan order is sorted, so this is deterministic).
      filter: (s) => s.split === 'train' && METERS.has(s.meter) && n++ % 16 === 0,
    });
    expect(dataset.samples.length).toBeGreaterThan(150);
    expect(dataset.samples.length).toBeLessThan(260);

    const started = Date.now();
    const { model, losses, report } = await trainDigits({
      dataset,
      epochs: 1,
      stepsPerEpoch: 30,
      batchSize: 16,
      learningRate: 3e-3,
      seed: 3,
      validate: false,
      // A small pool keeps the synthetic-drum path exercised without rendering the full 20,000.
      syntheticCount: 256,
    });
    const seconds = (Date.now() - started) / 1000;
    expect(losses).toHaveLength(30);
    expect(losses.every(Number.isFinite)).toBe(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Training loss of the last 8 steps clearly below the first 8 (chance is ln 100 = 4.6).
    expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 8)) - 0.3);
    expect(report.training.backend).toBe('wasm');
    expect(report.training.synthetic).toMatch(
      /^25% of the other batch slots: synthetic drums \(256 rendered/,
    );
    expect(seconds).toBeLessThan(60);
    model.dispose();
  });
});
