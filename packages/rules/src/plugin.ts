import type { z } from 'zod';
import type { AlarmText } from './alarm-text/alarm-text.js';

/** A value that survives JSON.stringify/JSON.parse unchanged: what rule state and alarm details may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A reading as rules see it. */
export interface RuleReading {
  id: string;
  meterId: string;
  numeric: number | null;
  status: string;
  takenAt: Date;
}

/** One of the meter's earlier readings. */
export type HistoryReading = Pick<RuleReading, 'id' | 'numeric' | 'status' | 'takenAt'>;

export type RuleOutcome =
  /**
   * `message` is the alarm's text as stored (English); a built-in rule also gives its `text` (a code
   * of the alarm-text catalogues and params) so each reader gets it in their language.
   */
  | { state: 'raise'; message: string; text?: AlarmText; details?: { [key: string]: JsonValue } }
  | { state: 'clear' }
  /** Nothing to say (e.g. the reading has no value): an open alarm stays as it is. */
  | { state: 'skip' };

/** An outcome plus, optionally, the state to persist for this rule and meter until the next evaluation. */
export type RuleEvaluation<S = unknown> = RuleOutcome & { nextState?: S };

export interface RuleInput<C, S = unknown> {
  /** The reading that triggered the evaluation; undefined on a scheduled evaluation (see `now`). */
  reading?: RuleReading;
  /**
   * The meter's readings before `reading` (before `now` on a scheduled evaluation), ascending by
   * takenAt, covering at least `historyWindow(config)`; any status, so filter what you need.
   */
  history?: readonly HistoryReading[];
  config: C;
  /** When the evaluation runs. Only rules about elapsed time (no-reading) should depend on it. */
  now?: Date;
  /** The `nextState` this rule returned last time for this meter; undefined at first or when it fails `stateSchema`. */
  state?: S;
}

/**
 * A rule type: a config schema and an evaluation over a reading and the meter's recent history. New
 * types are new plugins registered with a RuleRegistry; the engine does not change.
 *
 * Evaluation must be idempotent per reading: evaluating the same reading again (a retried job) with
 * the same history must give the same outcome, and feeding the `nextState` of the first call into
 * the second must give the same `nextState` again. Derive what you can from `history`; keep in
 * state only what history cannot show, updated so that applying a reading twice equals applying it
 * once (e.g. a maximum of timestamps, never a counter incremented per call).
 */
export interface RulePlugin<C = unknown, S = unknown> {
  type: string;
  description: string;
  configSchema: z.ZodType<C>;
  /** Validates persisted state read back from the database; without it the rule gets no state. */
  stateSchema?: z.ZodType<S>;
  /** How far back, in milliseconds, this configuration needs the meter's history. */
  historyWindow(config: C): number;
  evaluate(input: RuleInput<C, S>): RuleEvaluation<S>;
}
