import { describe, expect, it } from 'vitest';
import { DIGIT_INPUT, inputValues, isTolerantHit, loadDigitClassifier } from '@metertwin/recognizer';
import { syntheticDrums } from '../src/synthetic.js';
import { expectSeededTenths } from './synthetic-set.js';

const BYTES = inputValues(DIGIT_INPUT);

function lumaSpread(rgb: Uint8Array): number {
  const l: number[] = [];
  for (let i = 0; i < rgb.length; i += 3) l.push(0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!);
  l.sort((a, b) => a - b);
  return l[Math.floor(l.length * 0.95)]! - l[Math.floor(l.length * 0.05)]!;
}

describe('synthetic drums', () => {
  it('are deterministic for a seed, labelled in tenths, and carry visible digits', async () => {
    const a = await expectSeededTenths((seed) => syntheticDrums({ count: 120, seed, cache: false }), 120, BYTES);
    // Half-rolled drums and whole digits both occur.
    expect(a.values.some((v) => v % 1 > 0.35 && v % 1 < 0.65)).toBe(true);
    expect(a.values.some((v) => v % 1 === 0)).toBe(true);
    // Ink against the drum: the 5th–95th percentile luma spread of nearly every crop is clear.
    const spreads = Array.from({ length: 120 }, (_, i) =>
      lumaSpread(a.pixels.subarray(i * BYTES, (i + 1) * BYTES)),
    );
    expect(spreads.filter((s) => s > 25).length).toBeGreaterThan(110);
    expect(a.fonts.length).toBeGreaterThan(50);
  });

  it('show the digit their label says: a model trained on real crops reads them', async () => {
    // The committed model saw these renders in training, but the check is about the renderer: a drum
    // rolled the wrong way, or a label off by a digit, reads far below these shares.
    const set = await syntheticDrums({ count: 300, seed: 77, cache: false });
    const classifier = await loadDigitClassifier();
    try {
      const crops = Array.from({ length: 300 }, (_, i) => ({
        width: DIGIT_INPUT.width,
        height: DIGIT_INPUT.height,
        channels: 3 as const,
        data: Buffer.from(set.pixels.subarray(i * BYTES, (i + 1) * BYTES)).toString('base64'),
      }));
      const predictions = await classifier.classify(crops);
      const tolerant = predictions.filter((p, i) => isTolerantHit(set.values[i]!, p.digit)).length / 300;
      const tenth = (v: number) => Math.round(v * 10);
      const within =
        predictions.filter((p, i) => {
          const d = Math.abs(tenth(p.value) - tenth(set.values[i]!)) % 100;
          return Math.min(d, 100 - d) <= 1;
        }).length / 300;
      expect(tolerant).toBeGreaterThan(0.75);
      expect(within).toBeGreaterThan(0.65);
    } finally {
      classifier.dispose();
    }
  });
});
