import { expect } from 'vitest';
import type { SyntheticSet } from '../src/synthetic.js';

/**
 * A synthetic set is the same for the same seed and another for another seed, and labelled in tenths
 * (0.0–9.9): what training relies on to reproduce a model. Returns the seed's set for further checks.
 */
export async function expectSeededTenths(make: (seed: number) => Promise<SyntheticSet>, count: number, bytes: number): Promise<SyntheticSet> {
  const [a, b, other] = await Promise.all([make(5), make(5), make(6)]);
  expect(a.pixels).toHaveLength(count * bytes);
  expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
  expect([...a.values]).toEqual([...b.values]);
  expect(Buffer.from(a.pixels).equals(Buffer.from(other.pixels))).toBe(false);
  for (const v of a.values) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(10);
    expect(Math.round(v * 10) / 10).toBe(v);
  }
  return a;
}
