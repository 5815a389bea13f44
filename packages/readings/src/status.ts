import type { AssembledValue } from './assemble.js';

export type ReadingStatus = 'accepted' | 'corrected' | 'needs_review' | 'rejected';

export interface ReadingPolicy {
  /** Below this, a reading goes to an operator instead of being accepted. */
  minConfidence: number;
}

/**
 * The recognizer's confidences are calibrated (a drum at 0.9 is right about 9 times in 10 on meters it
 * has not seen), so this is how sure every drum must be for a reading to be accepted without an operator:
 * bench:readings measures what it lets through: with the ensemble digit model, 0.75 let 3 wrong readings
 * in 10,000 through (weakest drums 0.78 to 0.85), so it is 0.9 (packages/readings/README.md).
 */
export const DEFAULT_MIN_CONFIDENCE = 0.9;

export const DEFAULT_POLICY: ReadingPolicy = { minConfidence: DEFAULT_MIN_CONFIDENCE };

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
