import type { z } from 'zod';

/** A reading as rules see it. */
export interface RuleReading {
  id: string;
  meterId: string;
  numeric: number | null;
  status: string;
  takenAt: Date;
}

export type RuleOutcome =
  | { state: 'raise'; message: string }
  | { state: 'clear' }
  /** Nothing to say about this reading (e.g. it has no value). */
  | { state: 'skip' };

/**
 * A rule type: a config schema and an evaluation over a reading. New types are new plugins; the
 * engine does not change.
 */
export interface RulePlugin<C = unknown> {
  type: string;
  description: string;
  configSchema: z.ZodType<C>;
  evaluate(input: { reading: RuleReading; config: C }): RuleOutcome;
}
