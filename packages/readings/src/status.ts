import type { AssembledValue } from './assemble.js';

export type ReadingStatus = 'accepted' | 'corrected' | 'needs_review' | 'rejected';

export interface ReadingPolicy {
  /** Below this, a reading goes to an operator instead of being accepted. */
  minConfidence: number;
}

export const DEFAULT_POLICY: ReadingPolicy = { minConfidence: 0.6 };

export interface Verdict {
  status: ReadingStatus;
  reason: string | null;
}

/** Decides what an assembled value is worth on confidence alone; evaluateReading adds the history rules. */
export function judge(value: AssembledValue, policy: ReadingPolicy = DEFAULT_POLICY): Verdict {
  if (value.confidence < policy.minConfidence) {
    return {
      status: 'needs_review',
      reason: `lowest digit confidence ${value.confidence.toFixed(2)} is below ${policy.minConfidence}`,
    };
  }
  return { status: 'accepted', reason: null };
}
