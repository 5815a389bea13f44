import type { ReadingEvaluation } from './evaluate.js';

export type MeterTrust = 'learning' | 'trusted';

/** How the model in use did on a meter's held-back labels (packages/recognizer HeldBackScore). */
export interface HeldBackFigures {
  n: number;
  right: number;
  wrongConfident: number;
}

export interface TrustPolicy {
  /** Held-back labels needed before a meter may leave learning: a handful would prove nothing. */
  minHeldBack: number;
  /** Distinct reviewed readings the labels come from: one photo's drums are not independent evidence. */
  minReadings: number;
}

export const DEFAULT_TRUST_POLICY: TrustPolicy = { minHeldBack: 10, minReadings: 3 };

export interface TrustDecision {
  trust: MeterTrust;
  reason: string;
  figures: HeldBackFigures & { readings: number };
}

/**
 * Whether a meter's readings may be accepted without a person, from the model in use's figures on the
 * meter's own held-back labels: trusted only with enough labels from enough reviewed readings, no wrong
 * answer given with confidence (that is what would be accepted unseen), and at most one miss (an unsure
 * miss goes to review anyway). A wrongly typed label can only count against the model: it never makes a
 * meter trusted.
 */
export function decideTrust(
  heldBack: HeldBackFigures,
  readings: number,
  policy: TrustPolicy = DEFAULT_TRUST_POLICY,
): TrustDecision {
  const figures = { n: heldBack.n, right: heldBack.right, wrongConfident: heldBack.wrongConfident, readings };
  const learning = (reason: string): TrustDecision => ({ trust: 'learning', reason, figures });
  if (readings < policy.minReadings) return learning(`labels from ${readings} reviewed reading(s), ${policy.minReadings} needed`);
  if (heldBack.n < policy.minHeldBack) return learning(`${heldBack.n} held-back label(s), ${policy.minHeldBack} needed`);
  if (heldBack.wrongConfident > 0) return learning(`${heldBack.wrongConfident} of ${heldBack.n} held-back labels read wrong with confidence`);
  if (heldBack.n - heldBack.right > 1) return learning(`${heldBack.right} of ${heldBack.n} held-back labels read right`);
  return { trust: 'trusted', reason: `${heldBack.right} of ${heldBack.n} held-back labels read right, none wrong with confidence`, figures };
}

/** A learning meter's reading goes to an operator, whatever the model and the history say. */
export function withTrust(verdict: ReadingEvaluation, trust: MeterTrust): ReadingEvaluation {
  if (trust === 'trusted') return verdict;
  return heldForReview(verdict, 'the meter is learning: its own labels do not yet show that the model reads it reliably');
}

/** A reading that would be taken as it stands goes to an operator instead, for `why` (first among its reasons). */
export function heldForReview(verdict: ReadingEvaluation, why: string): ReadingEvaluation {
  if (verdict.status !== 'accepted' && verdict.status !== 'corrected') return verdict;
  return { ...verdict, status: 'needs_review', reason: [why, verdict.reason].filter(Boolean).join('; ') };
}
