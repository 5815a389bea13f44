import { describe, expect, it } from 'vitest';
import { evaluateLast, outcomesAlong, readingsEvery, steadyFlow } from '../test/readings.js';
import { flowRateRule } from './flow-rate.rule.js';

const config = { above: 1.5 };

describe('flow-rate rule', () => {
  it('raises while the flow between consecutive readings is above the limit and clears below it', () => {
    // 10-minute readings: 0.3 m³/h, then a garden hose at 1.8 m³/h, then back to 0.3 m³/h.
    const readings = readingsEvery('2026-06-01T17:00:00Z', 10, [412.1, 412.15, 412.45, 412.75, 412.8]);
    expect(outcomesAlong(flowRateRule, config, readings)).toEqual(['skip', 'clear', 'raise', 'raise', 'clear']);
    const raised = evaluateLast(flowRateRule, config, readings.slice(0, 3)).outcome;
    expect(raised).toMatchObject({ state: 'raise', message: 'flow 1.8/h is above 1.5/h', details: { limit: 1.5 } });
  });

  it('measures from the last accepted reading, past readings that were rejected or await review', () => {
    const readings = readingsEvery('2026-06-01T17:00:00Z', 10, [412.1, null, 412.4]);
    readings[1]!.status = 'needs_review';
    // 0.3 m³ over 20 minutes is 0.9 m³/h, not 1.8 over the last 10 minutes.
    expect(evaluateLast(flowRateRule, config, readings).outcome).toEqual({ state: 'clear' });
  });

  it('skips an unreadable reading, a counter that went backwards and a gap too long to tell a flow', () => {
    expect(evaluateLast(flowRateRule, config, readingsEvery('2026-06-01T17:00:00Z', 10, [412.1, null])).outcome.state).toBe('skip');
    expect(evaluateLast(flowRateRule, config, readingsEvery('2026-06-01T17:00:00Z', 10, [412.1, 411.1])).outcome.state).toBe('skip');
    expect(evaluateLast(flowRateRule, { above: 1.5, maxIntervalMinutes: 120 }, steadyFlow('2026-06-01T17:00:00Z', 180, 2, 412, 5)).outcome.state).toBe('skip');
  });

  it('refuses a config without a positive limit', () => {
    expect(flowRateRule.configSchema.safeParse({}).success).toBe(false);
    expect(flowRateRule.configSchema.safeParse({ above: -1 }).success).toBe(false);
  });
});
