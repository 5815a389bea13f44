import { describe, expect, it } from 'vitest';
import { evaluateLast, outcomesAlong, readingsEvery } from '../test/readings.js';
import { stuckReviewRule } from './stuck-review.rule.js';

/** Hourly readings with the given statuses. */
function withStatuses(start: string, statuses: string[]) {
  return readingsEvery(start, 60, statuses.map((_, i) => 10 + i)).map((r, i) => ({ ...r, status: statuses[i]! }));
}

describe('stuck-review rule', () => {
  const config = { count: 3 };

  it('raises from the third reading in a row that needs review or was rejected, and clears on an accepted one', () => {
    const readings = withStatuses('2026-06-01T06:00:00Z', ['accepted', 'needs_review', 'rejected', 'needs_review', 'needs_review', 'corrected', 'rejected']);
    expect(outcomesAlong(stuckReviewRule, config, readings)).toEqual(['clear', 'skip', 'skip', 'raise', 'raise', 'clear', 'skip']);
    expect(evaluateLast(stuckReviewRule, config, readings.slice(0, 4)).outcome).toEqual({
      state: 'raise',
      message: '3 readings in a row need review or were rejected',
      text: { code: 'stuck-review.run', params: { run: 3 } },
      details: { run: 3, rejected: 1, needsReview: 2 },
    });
  });

  it('ignores unreadable readings older than the lookback', () => {
    const readings = withStatuses('2026-06-01T06:00:00Z', ['rejected', 'rejected', 'rejected']);
    readings[2]!.takenAt = new Date('2026-06-03T12:00:00Z');
    expect(evaluateLast(stuckReviewRule, { count: 3, lookbackHours: 48 }, readings).outcome.state).toBe('skip');
  });

  it('skips a scheduled evaluation and refuses a count below one', () => {
    expect(stuckReviewRule.evaluate({ config: { count: 1, lookbackHours: 48 }, now: new Date() })).toEqual({ state: 'skip' });
    expect(stuckReviewRule.configSchema.safeParse({ count: 0 }).success).toBe(false);
  });
});
