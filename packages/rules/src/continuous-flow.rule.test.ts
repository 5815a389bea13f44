import { describe, expect, it } from 'vitest';
import { evaluateLast, outcomesAlong, readingsEvery, steadyFlow } from '../test/readings.js';
import { continuousFlowRule } from './continuous-flow.rule.js';

// 22:00 to 07:00 in Berlin (UTC+1 in January), a reading every 10 minutes: index 36 is 04:00, 42 is 05:00.
const NIGHT_START = '2026-01-14T21:00:00Z';
const READINGS_PER_NIGHT = 9 * 6 + 1;
const config = { timeZone: 'Europe/Berlin', from: '01:00', to: '05:00', hours: 3 };

describe('continuous-flow rule', () => {
  it('raises once a 0.02 m³/h leak has run for 3 hours inside the night window, and not outside it', () => {
    const leakingNight = steadyFlow(NIGHT_START, 10, READINGS_PER_NIGHT, 1234.567, 0.02);
    const outcomes = outcomesAlong(continuousFlowRule, config, leakingNight);
    expect(outcomes.indexOf('raise')).toBe(36);
    expect(outcomes.lastIndexOf('raise')).toBe(42);
    // No zero-flow interval all night: nothing clears; outside the run there is nothing to say.
    expect(outcomes.filter((o) => o !== 'raise').every((o) => o === 'skip')).toBe(true);

    const at0500 = evaluateLast(continuousFlowRule, config, leakingNight.slice(0, 43)).outcome;
    expect(at0500).toMatchObject({ state: 'raise', details: { runHours: 4 } });
    expect(at0500.state === 'raise' && at0500.message).toMatch(/^possible leak: flow has not dropped to zero for 4 h between 01:00 and 05:00/);
    // The meter shows 3 decimals: 0.02 m³/h appears as steps of 0.003 or 0.004 per 10 minutes.
    expect(at0500.state === 'raise' && at0500.details?.lowestFlowPerHour).toBeCloseTo(0.018, 6);
  });

  it('clears as soon as an interval without flow is seen', () => {
    const night = steadyFlow(NIGHT_START, 10, 43, 1234.567, 0.02);
    const last = night.at(-1)!;
    const stillMorning = { ...last, id: 'still', takenAt: new Date(last.takenAt.getTime() + 10 * 60_000) };
    expect(evaluateLast(continuousFlowRule, config, [...night, stillMorning]).outcome).toEqual({ state: 'clear' });
  });

  it('clears all night for a household that uses no water at night', () => {
    const quietNight = steadyFlow(NIGHT_START, 10, READINGS_PER_NIGHT, 1234.567, 0);
    expect(outcomesAlong(continuousFlowRule, config, quietNight).slice(1).every((o) => o === 'clear')).toBe(true);
  });

  it('supports a window across midnight', () => {
    const leakingNight = steadyFlow(NIGHT_START, 10, READINGS_PER_NIGHT, 1234.567, 0.02);
    const outcomes = outcomesAlong(continuousFlowRule, { ...config, from: '23:00', hours: 5.5 }, leakingNight);
    expect(outcomes.indexOf('raise')).toBe(39); // 23:00 + 5.5 h = 04:30
  });

  it('does not count intervals longer than maxGapMinutes, which could hide a pause in the flow', () => {
    const sparseNight = steadyFlow(NIGHT_START, 90, 7, 1234.567, 0.02);
    expect(outcomesAlong(continuousFlowRule, config, sparseNight)).not.toContain('raise');
  });

  it('skips readings that cannot be trusted', () => {
    const night = steadyFlow(NIGHT_START, 10, 43, 1234.567, 0.02);
    const unreadable = readingsEvery('2026-01-15T04:10:00Z', 10, [null]);
    expect(evaluateLast(continuousFlowRule, config, [...night, ...unreadable]).outcome).toEqual({ state: 'skip' });
  });

  it('refuses windows that are empty or shorter than the hours asked for', () => {
    expect(continuousFlowRule.configSchema.safeParse({ ...config, hours: 5 }).success).toBe(false);
    expect(continuousFlowRule.configSchema.safeParse({ ...config, to: '01:00' }).success).toBe(false);
    expect(continuousFlowRule.configSchema.safeParse({ ...config, from: '25:00' }).success).toBe(false);
    expect(continuousFlowRule.configSchema.parse({ timeZone: 'UTC', hours: 2 })).toMatchObject({ from: 60, to: 300 });
  });
});
