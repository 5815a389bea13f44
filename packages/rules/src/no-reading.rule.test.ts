import { describe, expect, it } from 'vitest';
import { evaluateRules } from './engine.js';
import { noReadingRule } from './no-reading.rule.js';
import type { HistoryReading } from './plugin.js';
import { RuleRegistry } from './registry.js';
import { readingsEvery, steadyFlow } from '../test/readings.js';

const registry = new RuleRegistry([noReadingRule]);
const config = { minutes: 60 };

/** A scheduled evaluation: no reading, only the clock, the history of the window and the persisted state. */
function tick(now: string, history: readonly HistoryReading[], state?: unknown) {
  const [result] = evaluateRules({ rules: [{ id: 'offline', type: 'no-reading', config, state }], history, now: new Date(now), registry });
  return result!;
}

describe('no-reading rule', () => {
  // A reading every 10 minutes until 08:00 UTC, then the camera goes quiet.
  const morning = steadyFlow('2026-06-01T06:00:00Z', 10, 13, 77.1, 0.1);

  it('clears on a schedule while readings arrive and remembers the last one in its state', () => {
    const result = tick('2026-06-01T08:30:00Z', morning);
    expect(result).toEqual({ ruleId: 'offline', outcome: { state: 'clear' }, nextState: { lastAcceptedAt: '2026-06-01T08:00:00.000Z' } });
  });

  it('raises on a schedule once the history window is empty, from the state persisted as JSON', () => {
    const persisted = JSON.parse(JSON.stringify(tick('2026-06-01T08:30:00Z', morning).nextState));
    const result = tick('2026-06-01T09:30:00Z', [], persisted);
    expect(result.outcome).toEqual({
      state: 'raise',
      message: 'no accepted reading for 90 min (last at 2026-06-01T08:00:00.000Z)',
      text: { code: 'no-reading.silent', params: { minutes: 90, lastAt: '2026-06-01T08:00:00.000Z' } },
      details: { lastAcceptedAt: '2026-06-01T08:00:00.000Z', silentMinutes: 90 },
    });
    expect(result.nextState).toEqual(persisted);
  });

  it('counts only accepted readings: a camera sending unreadable photos is still raised', () => {
    const unreadable = readingsEvery('2026-06-01T08:40:00Z', 10, [null, null, null, null, null]);
    const state = { lastAcceptedAt: '2026-06-01T08:00:00.000Z' };
    expect(tick('2026-06-01T09:30:00Z', unreadable, state).outcome.state).toBe('raise');
  });

  it('clears when a reading arrives after the silence', () => {
    const [late] = readingsEvery('2026-06-01T09:40:00Z', 10, [78.5]);
    const [result] = evaluateRules({
      rules: [{ id: 'offline', type: 'no-reading', config, state: { lastAcceptedAt: '2026-06-01T08:00:00.000Z' } }],
      reading: late,
      history: [],
      now: new Date('2026-06-01T09:40:05Z'),
      registry,
    });
    expect(result).toMatchObject({ outcome: { state: 'clear' }, nextState: { lastAcceptedAt: '2026-06-01T09:40:00.000Z' } });
  });

  it('skips a meter it has never seen an accepted reading from, and a state that is not its own', () => {
    expect(tick('2026-06-01T09:30:00Z', []).outcome.state).toBe('skip');
    expect(tick('2026-06-01T09:30:00Z', [], { lastSeen: 'yesterday' })).toMatchObject({ outcome: { state: 'skip' }, nextState: { lastSeen: 'yesterday' } });
  });
});
