import type { HistoryReading, RuleOutcome, RuleReading } from './plugin.js';
import { MAX_WINDOW_MS } from './limits.js';
import type { RuleRegistry } from './registry.js';

/** A configured rule as stored (a Rule row) with the state last persisted for this meter. */
export interface StoredRule {
  id: string;
  type: string;
  config: unknown;
  state?: unknown;
}

export interface RuleResult {
  ruleId: string;
  outcome: RuleOutcome;
  /** What to persist as the rule's state for this meter (the previous state when the rule returned none). */
  nextState: unknown;
  /** Why the rule could not be evaluated (unknown type, invalid config, the plugin threw); outcome is then skip. */
  error?: string;
}

/** The meter's readings before the cut-off, without the reading itself, ascending: what plugins are promised. */
function historyBefore(reading: RuleReading | undefined, history: readonly HistoryReading[], now: Date): HistoryReading[] {
  // Later readings are left out so that re-evaluating a reading after newer ones arrived gives the same outcome.
  const cutoff = (reading?.takenAt ?? now).getTime();
  return history
    .filter((r) => r.id !== reading?.id && r.takenAt.getTime() <= cutoff)
    .toSorted((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
}

/**
 * Evaluates every rule of one meter over a reading (or, with no reading, at `now` on a schedule). A
 * rule that cannot be evaluated yields an `error` result and does not stop the others.
 */
export function evaluateRules(input: {
  rules: readonly StoredRule[];
  reading?: RuleReading;
  history: readonly HistoryReading[];
  now: Date;
  registry: RuleRegistry;
}): RuleResult[] {
  const { rules, reading, now, registry } = input;
  const history = historyBefore(reading, input.history, now);
  return rules.map((rule) => {
    const failed = (error: string): RuleResult => ({ ruleId: rule.id, outcome: { state: 'skip' }, nextState: rule.state, error });
    const plugin = registry.get(rule.type);
    if (!plugin) return failed(`unknown rule type "${rule.type}"`);
    const config = plugin.configSchema.safeParse(rule.config);
    if (!config.success) return failed(`invalid config: ${config.error.message}`);
    // State written by an older version of the plugin may no longer fit: start afresh rather than fail.
    const state = plugin.stateSchema?.safeParse(rule.state);
    try {
      const { nextState, ...outcome } = plugin.evaluate({ reading, history, config: config.data, now, state: state?.success ? state.data : undefined });
      return { ruleId: rule.id, outcome, nextState: nextState === undefined ? rule.state : nextState };
    } catch (error) {
      return failed(`evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

/**
 * How far back the meter's history must reach for these rules; rules that cannot be evaluated need
 * none. Never more than MAX_WINDOW_MS, whatever a plugin answers, so one rule cannot break the query.
 */
export function historyWindowFor(rules: readonly StoredRule[], registry: RuleRegistry): number {
  let windowMs = 0;
  for (const rule of rules) {
    const plugin = registry.get(rule.type);
    const config = plugin?.configSchema.safeParse(rule.config);
    const wanted = plugin && config?.success ? plugin.historyWindow(config.data) : 0;
    if (Number.isFinite(wanted)) windowMs = Math.max(windowMs, wanted);
  }
  return Math.min(windowMs, MAX_WINDOW_MS);
}
