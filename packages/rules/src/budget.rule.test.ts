import { describe, expect, it } from 'vitest';
import { evaluateLast, outcomesAlong, steadyFlow } from '../test/readings.js';
import { budgetRule } from './budget.rule.js';

// Hourly readings at 0.05 m³/h from 23:30 Berlin time on 14 January; reading i has used (i - 0.5) × 0.05 of the 15th.
const day = steadyFlow('2026-01-14T22:30:00Z', 60, 26, 500, 0.05);
const daily = { period: 'day', budget: 1, timeZone: 'Europe/Berlin' };

describe('budget rule', () => {
  it('raises a warning at 80% and an alarm at 100% of the daily budget, and clears the next day', () => {
    const warning = outcomesAlong(budgetRule, { ...daily, percent: 80 }, day);
    expect(warning.indexOf('raise')).toBe(17); // 0.825 m³
    expect(warning.at(-1)).toBe('clear');
    const full = outcomesAlong(budgetRule, daily, day);
    expect(full.indexOf('raise')).toBe(21); // 1.025 m³
    expect(evaluateLast(budgetRule, { ...daily, percent: 80 }, day.slice(0, 18)).outcome).toMatchObject({
      state: 'raise',
      message: expect.stringMatching(/^8[23]% of the daily budget used \(0\.825 of 1\)$/),
    });
  });

  it('counts a monthly budget from the first of the month in the configured zone', () => {
    // Daily readings at noon UTC, 1 m³ a day, across the end of October in New York.
    const days = steadyFlow('2026-10-25T12:00:00Z', 24 * 60, 10, 3000, 1 / 24);
    const outcomes = outcomesAlong(budgetRule, { period: 'month', budget: 5, timeZone: 'America/New_York' }, days);
    // With no reading before 1 October, the first one of the month stands in for its start.
    expect(outcomes).toEqual(['skip', 'clear', 'clear', 'clear', 'clear', 'raise', 'raise', 'clear', 'clear', 'clear']);
  });

  it('refuses a budget for a period it does not know', () => {
    expect(budgetRule.configSchema.safeParse({ ...daily, period: 'week' }).success).toBe(false);
    expect(budgetRule.configSchema.safeParse({ ...daily, budget: 0 }).success).toBe(false);
  });
});
