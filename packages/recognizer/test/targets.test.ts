import { describe, expect, it } from 'vitest';
import { JUNK_CLASS, NUM_CLASSES, softTargets } from '../src/model.js';

const row = (t: Float32Array, i: number) => Array.from(t.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));

describe('training targets', () => {
  it('digits: 0.8 on the tenth, 0.1 on each circular neighbour; junk is uniform', () => {
    const t = softTargets([0, 55, JUNK_CLASS]);
    const [a, b, junk] = [row(t, 0), row(t, 1), row(t, 2)];
    expect(a[0]).toBeCloseTo(0.8);
    expect(a[1]).toBeCloseTo(0.1);
    expect(a[99]).toBeCloseTo(0.1); // 9.9 neighbours 0.0
    expect(b[55]).toBeCloseTo(0.8);
    expect(junk.every((p) => Math.abs(p - 1 / NUM_CLASSES) < 1e-7)).toBe(true);
  });

  it('pointers: a circular Gaussian that sums to 1, peaks on the label and wraps around 0', () => {
    const t = softTargets([98], 1.5);
    const r = row(t, 0);
    expect(r.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    expect(Math.max(...r)).toBe(r[98]);
    expect(r[99]).toBeCloseTo(r[97]!, 6);
    expect(r[0]).toBeCloseTo(r[96]!, 6); // wraps: 0.0 is two tenths from 9.8
    expect(r[50]).toBe(0);
  });
});
