import { describe, expect, it } from 'vitest';
import { decodeProbabilities } from '../src/decode.js';
import { isTolerantHit, scoreDigits } from '../src/metrics.js';

const pred = (value: number, confidence = 0.9) => ({ value, digit: Math.floor(value), confidence });

describe('digit metrics', () => {
  it('tolerates the neighbouring digit only within 0.2 of a change', () => {
    expect(isTolerantHit(3.8, 4)).toBe(true);
    expect(isTolerantHit(3.9, 4)).toBe(true);
    expect(isTolerantHit(3.7, 4)).toBe(false);
    expect(isTolerantHit(4.2, 3)).toBe(true);
    expect(isTolerantHit(4.3, 3)).toBe(false);
    expect(isTolerantHit(9.9, 0)).toBe(true);
    expect(isTolerantHit(0.1, 9)).toBe(true);
    expect(isTolerantHit(5.5, 5)).toBe(true);
    expect(isTolerantHit(5.5, 6)).toBe(false);
  });

  it('scores strict, tolerant and circular tenths, with confusion and per-meter figures', () => {
    const report = scoreDigits([
      { trueValue: 3.4, meter: 'a', prediction: pred(3.4) }, // all hit
      { trueValue: 3.9, meter: 'a', prediction: pred(4.0) }, // tolerant, tenths ±0.1
      { trueValue: 9.9, meter: 'b', prediction: pred(0.0, 0.4) }, // tolerant, circular ±0.1
      { trueValue: 5.0, meter: 'b', prediction: pred(7.0, 0.3) }, // all miss
    ]);
    expect(report).toMatchObject({ n: 4, strictInteger: 0.25, tolerantInteger: 0.75, tenthsWithin1: 0.75, tenthsExact: 0.25 });
    expect(report.confusion[3]![4]).toBe(1);
    expect(report.confusion[9]![0]).toBe(1);
    expect(report.confusion[5]![7]).toBe(1);
    expect(report.perMeter.a).toMatchObject({ n: 2, strictInteger: 0.5, tolerantInteger: 1 });
    expect(report.perMeter.b).toMatchObject({ n: 2, strictInteger: 0, tolerantInteger: 0.5 });
    expect(report.byConfidence.find((b) => b.threshold === 0.5)).toMatchObject({ share: 0.5, tolerantInteger: 1 });
  });

  it('decodes the tenths head: argmax value, floor digit, mass of the tenth and its circular neighbours', () => {
    const probs = new Float32Array(100);
    probs[99] = 0.5;
    probs[0] = 0.3;
    probs[98] = 0.1;
    probs[50] = 0.1;
    expect(decodeProbabilities(probs)).toEqual({ value: 9.9, digit: 9, confidence: 0.9 });
  });
});
