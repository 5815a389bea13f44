import { evaluateRules, type RuleResult } from '../src/engine.js';
import type { RulePlugin, RuleReading } from '../src/plugin.js';
import { RuleRegistry } from '../src/registry.js';

/** Readings of meter m1 every `everyMinutes` from `start` (ISO), one per value; null values are unreadable. */
export function readingsEvery(start: string, everyMinutes: number, values: readonly (number | null)[], status = 'accepted'): RuleReading[] {
  return values.map((numeric, i) => ({
    id: `r-${start}-${i}`,
    meterId: 'm1',
    numeric,
    status: numeric === null ? 'rejected' : status,
    takenAt: new Date(Date.parse(start) + i * everyMinutes * 60_000),
  }));
}

/** A counter advancing `perHour` units, read every `everyMinutes`, rounded to the 3 decimals a water meter shows. */
export function steadyFlow(start: string, everyMinutes: number, count: number, from: number, perHour: number): RuleReading[] {
  const values = Array.from({ length: count }, (_, i) => Number((from + (perHour * i * everyMinutes) / 60).toFixed(3)));
  return readingsEvery(start, everyMinutes, values);
}

/**
 * Evaluates one configured rule through the engine, as the notify service will: the last reading
 * of `readings` is the one being evaluated, the others are its history.
 */
export function evaluateLast(
  plugin: RulePlugin,
  config: unknown,
  readings: readonly RuleReading[],
  options: { now?: Date; state?: unknown } = {},
): RuleResult {
  const reading = readings.at(-1);
  const [result] = evaluateRules({
    rules: [{ id: 'rule1', type: plugin.type, config, state: options.state }],
    reading,
    history: readings.slice(0, -1),
    now: options.now ?? reading!.takenAt,
    registry: new RuleRegistry([plugin]),
  });
  return result!;
}

/** Evaluates the rule after each reading in turn and returns the outcome states, e.g. ['skip', 'raise']. */
export function outcomesAlong(plugin: RulePlugin, config: unknown, readings: readonly RuleReading[]): string[] {
  return readings.map((_, i) => evaluateLast(plugin, config, readings.slice(0, i + 1)).outcome.state);
}
