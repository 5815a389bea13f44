import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readingsEvery, steadyFlow } from '../test/readings.js';
import { builtInRules } from './built-in-rules.js';
import { evaluateRules, historyWindowFor, type StoredRule } from './engine.js';
import type { HistoryReading, RulePlugin } from './plugin.js';
import { RuleRegistry } from './registry.js';

/** Every built-in type with a realistic config, as Rule rows of one meter. */
const meterRules: StoredRule[] = [
  { id: 'threshold', type: 'threshold', config: { above: 1300 } },
  { id: 'flow', type: 'flow-rate', config: { above: 0.01 } },
  { id: 'daily', type: 'consumption', config: { period: 'day', above: 0.05, timeZone: 'Europe/Berlin' } },
  { id: 'leak', type: 'continuous-flow', config: { timeZone: 'Europe/Berlin', hours: 3 } },
  { id: 'offline', type: 'no-reading', config: { minutes: 30 } },
  { id: 'review', type: 'stuck-review', config: { count: 3 } },
  { id: 'jump', type: 'sudden-jump', config: { above: 0.5, medianFactor: 4 } },
  { id: 'budget', type: 'budget', config: { period: 'month', budget: 10, percent: 80, timeZone: 'Europe/Berlin' } },
];

// A night in Berlin with a 0.02 m³/h leak, read every 10 minutes; the last reading is 04:30.
const night = steadyFlow('2026-01-14T21:00:00Z', 10, 40, 1234.567, 0.02);
const reading = { ...night.at(-1)!, meterId: 'm1' };
const history = night.slice(0, -1);
const now = new Date(reading.takenAt.getTime() + 5_000);

describe('evaluateRules', () => {
  it('evaluates every built-in rule over a reading and its history', () => {
    const results = evaluateRules({ rules: meterRules, reading, history, now, registry: new RuleRegistry() });
    expect(Object.fromEntries(results.map((r) => [r.ruleId, r.error ?? r.outcome.state]))).toEqual({
      threshold: 'clear',
      flow: 'raise',
      daily: 'raise',
      leak: 'raise',
      offline: 'clear',
      review: 'clear',
      jump: 'clear',
      budget: 'clear',
    });
  });

  it('is idempotent per reading: the same reading again, with the state of the first pass read back as JSON, gives the same results', () => {
    const registry = new RuleRegistry();
    const first = evaluateRules({ rules: meterRules, reading, history, now, registry });
    const persisted = meterRules.map((rule, i) => ({ ...rule, state: JSON.parse(JSON.stringify(first[i]!.nextState ?? null)) ?? undefined }));
    const again = evaluateRules({ rules: persisted, reading, history, now, registry });
    expect(again).toEqual(first);
  });

  it('gives plugins the history before the reading, ascending, whatever order and extra readings it was handed', () => {
    const later = readingsEvery('2026-01-15T04:00:00Z', 10, [1234.7, 1234.8]);
    const messy = [...later, reading, ...history].reverse();
    const registry = new RuleRegistry();
    expect(evaluateRules({ rules: meterRules, reading, history: messy, now, registry })).toEqual(
      evaluateRules({ rules: meterRules, reading, history, now, registry }),
    );
  });

  it('reports unknown types, invalid configs and throwing plugins as errors and still evaluates the other rules', () => {
    const broken: RulePlugin<unknown> = {
      type: 'broken',
      description: 'always throws',
      configSchema: z.unknown(),
      historyWindow: () => 0,
      evaluate: () => {
        throw new Error('division by zero');
      },
    };
    const registry = new RuleRegistry([...builtInRules, broken]);
    const results = evaluateRules({
      rules: [
        { id: 'a', type: 'broken', config: {}, state: { kept: true } },
        { id: 'b', type: 'frost-risk', config: {} },
        { id: 'c', type: 'flow-rate', config: { above: 'a lot' } },
        { id: 'd', type: 'threshold', config: { above: 1000 } },
      ],
      reading,
      history,
      now,
      registry,
    });
    expect(results[0]).toEqual({ ruleId: 'a', outcome: { state: 'skip' }, nextState: { kept: true }, error: 'evaluation failed: division by zero' });
    expect(results[1]).toMatchObject({ ruleId: 'b', outcome: { state: 'skip' }, error: 'unknown rule type "frost-risk"' });
    expect(results[2]).toMatchObject({ ruleId: 'c', outcome: { state: 'skip' }, error: expect.stringMatching(/^invalid config: /) });
    expect(results[3]).toEqual({ ruleId: 'd', outcome: { state: 'raise', message: 'reading 1234.697 is above 1,000', text: { code: 'threshold.above', params: { value: '1234.697', limit: 1000 } } }, nextState: undefined });
  });

  it('runs rules on a schedule without a reading', () => {
    const results = evaluateRules({ rules: meterRules, history: [] as HistoryReading[], now: new Date('2026-01-15T05:30:00Z'), registry: new RuleRegistry() });
    const offline = results.find((r) => r.ruleId === 'offline')!;
    expect(offline.outcome.state).toBe('skip'); // no state and no history: nothing known about this meter yet
    expect(results.every((r) => r.outcome.state === 'skip' && !r.error)).toBe(true);
  });
});

describe('historyWindowFor', () => {
  it('is the longest window the valid rules need', () => {
    const registry = new RuleRegistry();
    // The monthly budget needs 31 days and an hour, plus a day to find a reading before the 1st.
    expect(historyWindowFor(meterRules, registry)).toBe((32 * 24 + 1) * 3_600_000);
    expect(historyWindowFor([{ id: 'x', type: 'stuck-review', config: { count: 2, lookbackHours: 6 } }, { id: 'y', type: 'nope', config: {} }], registry)).toBe(6 * 3_600_000);
  });
});

describe('config bounds', () => {
  const registry = new RuleRegistry();
  it.each([
    ['flow-rate', { above: 1, maxIntervalMinutes: 1e15 }],
    ['no-reading', { minutes: 1e12 }],
    ['stuck-review', { count: 1e9 }],
    ['stuck-review', { count: 3, lookbackHours: 1e9 }],
    ['sudden-jump', { above: 1, lookbackHours: 1e7 }],
    ['continuous-flow', { timeZone: 'UTC', hours: 1e6 }],
    ['threshold', { above: 1e300 }],
    ['consumption', { period: 'day', above: 1e20, timeZone: 'UTC' }],
    ['budget', { period: 'month', budget: 10, percent: 1e9, timeZone: 'UTC' }],
  ])('refuses a %s config past its bounds: %j', (type, config) => {
    expect(registry.get(type)!.configSchema.safeParse(config).success).toBe(false);
  });

  it('keeps the history window finite and bounded whatever is stored or a plugin answers', () => {
    // A config stored before the bounds existed is invalid now: it needs no history and breaks nothing.
    const stored: StoredRule[] = [
      { id: 'old', type: 'flow-rate', config: { above: 1, maxIntervalMinutes: 1e15 } },
      { id: 'ok', type: 'no-reading', config: { minutes: 30 } },
    ];
    expect(historyWindowFor(stored, registry)).toBe(30 * 60_000);
    const greedy: RulePlugin<Record<string, never>> = {
      type: 'greedy',
      description: 'asks for all of history',
      configSchema: z.object({}),
      historyWindow: () => Number.MAX_VALUE,
      evaluate: () => ({ state: 'skip' }),
    };
    const broken: RulePlugin<Record<string, never>> = { ...greedy, type: 'broken', historyWindow: () => NaN };
    const plugins = new RuleRegistry([greedy, broken]);
    const windowMs = historyWindowFor([{ id: 'g', type: 'greedy', config: {} }, { id: 'b', type: 'broken', config: {} }], plugins);
    expect(windowMs).toBe(366 * 24 * 3_600_000);
    expect(Number.isNaN(new Date(Date.now() - windowMs).getTime())).toBe(false);
  });
});
