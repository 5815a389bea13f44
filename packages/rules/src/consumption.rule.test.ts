import { describe, expect, it } from 'vitest';
import { evaluateLast, outcomesAlong, steadyFlow } from '../test/readings.js';
import { consumptionRule } from './consumption.rule.js';

// Hourly readings at 0.05 m³/h from 23:30 Berlin time on 14 January (22:30 UTC) to 00:30 on the 16th.
const readings = steadyFlow('2026-01-14T22:30:00Z', 60, 26, 500, 0.05);
const config = { period: 'day', above: 1, timeZone: 'Europe/Berlin' };

describe('consumption rule', () => {
  it('raises once the local day has used more than the limit and clears on the next day', () => {
    const outcomes = outcomesAlong(consumptionRule, config, readings);
    // The first reading has nothing before it; from 20:30 local (19:30 UTC) the day is past 1 m³.
    expect(outcomes).toEqual(['skip', ...Array(20).fill('clear'), 'raise', 'raise', 'raise', 'raise', 'clear']);
    const lastOfDay = evaluateLast(consumptionRule, config, readings.slice(0, 25)).outcome;
    expect(lastOfDay).toMatchObject({
      state: 'raise',
      message: 'consumption this day is 1.175, above 1',
      details: { periodStart: '2026-01-14T23:00:00.000Z' },
    });
  });

  it('measures the day in the configured time zone, interpolating the counter at midnight', () => {
    const at2230Utc = readings.slice(0, 25);
    const used = (timeZone: string) => {
      const outcome = evaluateLast(consumptionRule, { ...config, above: 0.5, timeZone }, at2230Utc).outcome;
      return outcome.state === 'raise' ? outcome.details?.used : undefined;
    };
    expect(used('Europe/Berlin')).toBeCloseTo(1.175, 9); // since 23:00 UTC the day before
    expect(used('UTC')).toBeCloseTo(1.125, 9); // since 00:00 UTC
  });

  it('counts hours and weeks too', () => {
    // 00:30 UTC is half an hour into the hour: 0.025 m³.
    expect(evaluateLast(consumptionRule, { ...config, period: 'hour', above: 0.02 }, readings.slice(0, 3)).outcome.state).toBe('raise');
    expect(evaluateLast(consumptionRule, { ...config, period: 'hour', above: 0.03 }, readings.slice(0, 3)).outcome.state).toBe('clear');
    // Every reading is in the week that began on Monday 12 January: 25 hours at 0.05 m³/h.
    expect(evaluateLast(consumptionRule, { ...config, period: 'week', above: 1 }, readings).outcome.state).toBe('raise');
  });

  it('refuses an unknown period or time zone', () => {
    expect(consumptionRule.configSchema.safeParse({ ...config, period: 'year' }).success).toBe(false);
    expect(consumptionRule.configSchema.safeParse({ ...config, timeZone: 'CET+1' }).success).toBe(false);
  });
});
