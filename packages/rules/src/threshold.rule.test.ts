import { describe, expect, it } from 'vitest';
import { RuleRegistry } from './registry.js';

const reading = (numeric: number | null, status = 'accepted') => ({
  id: 'r1',
  meterId: 'm1',
  numeric,
  status,
  takenAt: new Date(),
});

describe('threshold rule', () => {
  const rule = new RuleRegistry().get('threshold')!;

  it('raises above the limit, clears inside it, and skips readings without a value', () => {
    const config = rule.configSchema.parse({ above: 100 });
    expect(rule.evaluate({ reading: reading(100.5), config })).toEqual({
      state: 'raise',
      message: 'reading 100.5 is above 100',
      text: { code: 'threshold.above', params: { value: '100.5', limit: 100 } },
    });
    expect(rule.evaluate({ reading: reading(99), config })).toEqual({ state: 'clear' });
    expect(rule.evaluate({ reading: reading(null), config })).toEqual({ state: 'skip' });
    expect(rule.evaluate({ reading: reading(500, 'rejected'), config })).toEqual({ state: 'skip' });
  });

  it('refuses a config with no limit', () => {
    expect(rule.configSchema.safeParse({}).success).toBe(false);
  });
});
