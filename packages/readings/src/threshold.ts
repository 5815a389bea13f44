/** One held-back label as the model in use answered it: how sure it was, and whether it was right. */
export interface HeldBackAnswer {
  confidence: number;
  right: boolean;
}

export interface ThresholdPolicy {
  /** Held-back labels needed before a meter's threshold may go below the service's. */
  minHeldBack: number;
  /** Distinct reviewed readings they come from: one photo's drums are not independent evidence. */
  minReadings: number;
  /** Right labels below the service's threshold needed to accept anything there: the band is learned, not extrapolated. */
  minBand: number;
  /** No meter's threshold goes below this, whatever its labels show. */
  floor: number;
}

export const DEFAULT_THRESHOLD_POLICY: ThresholdPolicy = { minHeldBack: 30, minReadings: 5, minBand: 5, floor: 0.7 };

export interface ThresholdDecision {
  /** The meter's own threshold, or null: the service's applies. */
  minConfidence: number | null;
  reason: string;
  figures: {
    n: number;
    readings: number;
    /** Held-back labels below the service's threshold, all right, that the lowered threshold rests on. */
    band: number;
    /** The most confident wrong answer on a held-back label, null when none. */
    highestWrong: number | null;
  };
}

/** Rounded up to 3 decimals: a stored threshold is never below the evidence. */
const ceil3 = (x: number) => Math.ceil(x * 1000 - 1e-9) / 1000;

/**
 * A meter's acceptance threshold from the model in use's answers on the meter's own held-back labels.
 *
 * - Wrong with confidence at or above the service's threshold: raised just above the most confident wrong
 *   answer (being more careful needs no proof).
 * - Lowered only on strong evidence: `minHeldBack` labels from `minReadings` reviewed readings, and
 *   walking down from the service's threshold at least `minBand` held-back labels read right before the
 *   first wrong one. It then sits at the second-lowest of them (no single label sets it alone), never
 *   below `floor`.
 * - Otherwise null: the service's threshold.
 *
 * A label typed wrong counts as a wrong answer where the model was right: it stops the walk down or raises
 * the threshold, so it never lowers it. A typo that happens to agree with a wrong answer counts as one
 * right label among the `minBand` the band needs, and cannot be the one the threshold rests on.
 */
export function meterThreshold(
  answers: readonly HeldBackAnswer[],
  readings: number,
  serviceMin: number,
  policy: ThresholdPolicy = DEFAULT_THRESHOLD_POLICY,
): ThresholdDecision {
  const wrong = answers.filter((a) => !a.right).map((a) => a.confidence);
  const highestWrong = wrong.length > 0 ? Math.max(...wrong) : null;
  const below = answers.filter((a) => a.confidence < serviceMin).sort((a, b) => b.confidence - a.confidence);
  const firstWrong = below.findIndex((a) => !a.right);
  const band = below.slice(0, firstWrong < 0 ? below.length : firstWrong);
  const figures = { n: answers.length, readings, band: band.length, highestWrong };
  const service = (reason: string): ThresholdDecision => ({ minConfidence: null, reason, figures });

  if (highestWrong !== null && highestWrong >= serviceMin) {
    const raised = Math.min(1, ceil3(highestWrong + 0.001));
    return { minConfidence: raised, reason: `a held-back label was read wrong at ${highestWrong.toFixed(3)}: raised to ${raised}`, figures };
  }
  if (readings < policy.minReadings) return service(`labels from ${readings} reviewed reading(s), ${policy.minReadings} needed to learn a threshold`);
  if (answers.length < policy.minHeldBack) return service(`${answers.length} held-back label(s), ${policy.minHeldBack} needed to learn a threshold`);
  if (band.length < policy.minBand) {
    return service(`${band.length} held-back label(s) read right below ${serviceMin} before the first wrong one, ${policy.minBand} needed to lower it`);
  }
  // Above every wrong answer, ties included: what is accepted was never seen wrong on this meter.
  const aboveWrong = highestWrong === null ? 0 : ceil3(highestWrong + 0.001);
  const lowered = Math.max(policy.floor, aboveWrong, ceil3(band[Math.max(0, band.length - 2)]!.confidence));
  return {
    minConfidence: lowered,
    reason: `${band.length} held-back labels read right below ${serviceMin}, none wrong at or above ${lowered}: lowered to ${lowered}`,
    figures,
  };
}
