import { describe, expect, it } from 'vitest';
import { builtInRules, evaluateRules, RuleRegistry } from '../src/index.js';
import { steadyFlow } from './readings.js';
import { weekendUsageRule } from './weekend-usage.rule.js';

describe('a third-party rule plugin', () => {
  it('is registered next to the built-ins and evaluated by the unchanged engine', () => {
    const registry = new RuleRegistry([...builtInRules, weekendUsageRule]);
    // Hourly from Saturday 6 June 2026 00:30 in Paris (22:30 UTC the day before) at 0.1 m³/h, into Monday.
    const weekend = steadyFlow('2026-06-05T22:30:00Z', 60, 50, 90, 0.1);
    const outcomeAt = (i: number) =>
      evaluateRules({
        rules: [
          { id: 'weekend', type: 'acme/weekend-usage', config: { above: 1, timeZone: 'Europe/Paris' } },
          { id: 'flow', type: 'flow-rate', config: { above: 5 } },
        ],
        reading: weekend[i],
        history: weekend.slice(0, i),
        now: weekend[i]!.takenAt,
        registry,
      }).map((r) => r.error ?? r.outcome.state);

    expect(outcomeAt(5)).toEqual(['clear', 'clear']); // Saturday 05:30, 0.5 m³
    expect(outcomeAt(12)).toEqual(['raise', 'clear']); // Saturday 12:30, 1.2 m³
    expect(outcomeAt(49)).toEqual(['clear', 'clear']); // Monday 01:30
  });

  it('cannot take the name of a rule type that exists', () => {
    expect(() => new RuleRegistry().register({ ...weekendUsageRule, type: 'budget' })).toThrow('rule type "budget" is registered twice');
  });
});
