import { describe, expect, it } from 'vitest';
import { evaluateLast, outcomesAlong, readingsEvery } from '../test/readings.js';
import { suddenJumpRule } from './sudden-jump.rule.js';

// Half-hourly readings of a household: steps of 0.02–0.06 m³.
const ordinary = [200.0, 200.03, 200.05, 200.1, 200.12, 200.16, 200.2, 200.24];

describe('sudden-jump rule', () => {
  it('raises on a step above a fixed size, either way, and clears on the next ordinary step', () => {
    const readings = readingsEvery('2026-06-01T06:00:00Z', 30, [...ordinary, 202.24, 202.27, 201.0]);
    expect(outcomesAlong(suddenJumpRule, { above: 1 }, readings).slice(-3)).toEqual(['raise', 'clear', 'raise']);
    expect(evaluateLast(suddenJumpRule, { above: 1 }, readings.slice(0, 9)).outcome).toMatchObject({ state: 'raise', message: 'counter rose by 2, more than 1' });
    expect(evaluateLast(suddenJumpRule, { above: 1 }, readings).outcome).toMatchObject({ state: 'raise', message: 'counter dropped by 1.27, more than 1' });
  });

  it('raises on a step several times the recent median step', () => {
    // Median of the 7 earlier steps is 0.04; 0.5 is 12.5 times that.
    const readings = readingsEvery('2026-06-01T06:00:00Z', 30, [...ordinary, 200.74]);
    expect(evaluateLast(suddenJumpRule, { medianFactor: 5 }, readings).outcome).toMatchObject({
      state: 'raise',
      message: 'counter rose by 0.5, 12.5× the median step 0.04',
    });
    expect(evaluateLast(suddenJumpRule, { medianFactor: 20 }, readings).outcome).toEqual({ state: 'clear' });
  });

  it('judges no median from too few steps or from a meter that is mostly idle', () => {
    const few = readingsEvery('2026-06-01T06:00:00Z', 30, [200.0, 200.03, 200.05, 200.55]);
    expect(evaluateLast(suddenJumpRule, { medianFactor: 5 }, few).outcome).toEqual({ state: 'clear' });
    const idle = readingsEvery('2026-06-01T06:00:00Z', 30, [200, 200, 200, 200, 200, 200, 200, 200.01]);
    expect(evaluateLast(suddenJumpRule, { medianFactor: 5, minSteps: 3 }, idle).outcome).toEqual({ state: 'clear' });
  });

  it('skips without a recent previous reading and refuses a config with no limit', () => {
    const stale = readingsEvery('2026-06-01T06:00:00Z', 48 * 60, [200, 260]);
    expect(evaluateLast(suddenJumpRule, { above: 1 }, stale).outcome).toEqual({ state: 'skip' });
    expect(suddenJumpRule.configSchema.safeParse({}).success).toBe(false);
  });
});
