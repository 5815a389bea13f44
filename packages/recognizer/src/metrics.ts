import type { DigitPrediction } from './decode.js';

/** Accuracy figures over a set of crops (values are fractions 0–1). */
export interface DigitScores {
  n: number;
  /** floor(predicted) == floor(true). */
  strictInteger: number;
  /**
   * Integer digit, also accepting the neighbouring digit when the true value is within 0.2 of a
   * change: true x.8/x.9 also accepts x+1, true x.0/x.1/x.2 also accepts x-1 (circular).
   */
  tolerantInteger: number;
  /** Predicted tenth within ±0.1 of the true one, circular (9.9 and 0.0 are 0.1 apart). */
  tenthsWithin1: number;
  /** Exact tenth. */
  tenthsExact: number;
  /** Mean confidence of the predictions. */
  meanConfidence: number;
}

export interface DigitReport extends DigitScores {
  /** confusion[true digit][predicted digit], counts. */
  confusion: number[][];
  perMeter: Record<string, DigitScores>;
  /** Tolerant integer accuracy of the predictions whose confidence is at least the threshold. */
  byConfidence: Array<{ threshold: number; share: number; tolerantInteger: number; strictInteger: number }>;
}

export interface Scored {
  trueValue: number;
  meter: string;
  prediction: DigitPrediction;
}

const tenthDistance = (a: number, b: number): number => {
  const d = Math.abs(Math.round(a * 10) - Math.round(b * 10)) % 100;
  return Math.min(d, 100 - d);
};

export function isTolerantHit(trueValue: number, predictedDigit: number): boolean {
  const digit = Math.floor(trueValue + 1e-9);
  if (predictedDigit === digit) return true;
  const tenth = Math.round(trueValue * 10) % 10;
  if (tenth >= 8 && predictedDigit === (digit + 1) % 10) return true;
  if (tenth <= 2 && predictedDigit === (digit + 9) % 10) return true;
  return false;
}

function scores(items: Scored[]): DigitScores {
  const n = items.length;
  let strict = 0;
  let tolerant = 0;
  let within = 0;
  let exact = 0;
  let conf = 0;
  for (const { trueValue, prediction: p } of items) {
    if (p.digit === Math.floor(trueValue + 1e-9)) strict++;
    if (isTolerantHit(trueValue, p.digit)) tolerant++;
    const d = tenthDistance(trueValue, p.value);
    if (d <= 1) within++;
    if (d === 0) exact++;
    conf += p.confidence;
  }
  const r = (x: number) => (n === 0 ? 0 : Math.round((x / n) * 10000) / 10000);
  return { n, strictInteger: r(strict), tolerantInteger: r(tolerant), tenthsWithin1: r(within), tenthsExact: r(exact), meanConfidence: r(conf) };
}

export function scoreDigits(items: Scored[]): DigitReport {
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (const { trueValue, prediction } of items) confusion[Math.floor(trueValue + 1e-9)]![prediction.digit]!++;
  const meters = [...new Set(items.map((i) => i.meter))].sort();
  const perMeter: Record<string, DigitScores> = {};
  for (const m of meters) perMeter[m] = scores(items.filter((i) => i.meter === m));
  const byConfidence = [0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95].map((threshold) => {
    const kept = items.filter((i) => i.prediction.confidence >= threshold);
    const s = scores(kept);
    return {
      threshold,
      share: items.length ? Math.round((kept.length / items.length) * 10000) / 10000 : 0,
      tolerantInteger: s.tolerantInteger,
      strictInteger: s.strictInteger,
    };
  });
  return { ...scores(items), confusion, perMeter, byConfidence };
}

/** Pointer figures over a set of crops (errors in dial steps, circular: 9.9 and 0.0 are 0.1 apart). */
export interface PointerScores {
  n: number;
  /** Mean circular |predicted − true|, in steps (0–5). */
  meanError: number;
  /** Share with a circular error ≤ 0.2. */
  within2: number;
  /** Share with a circular error ≤ 0.1. */
  within1: number;
  meanConfidence: number;
}

export interface PointerReport extends PointerScores {
  perPointer: Record<string, PointerScores>;
}

export interface ScoredPointer {
  trueValue: number;
  meter: string;
  prediction: { value: number; confidence: number };
}

function pointerScores(items: ScoredPointer[]): PointerScores {
  let err = 0;
  let w2 = 0;
  let w1 = 0;
  let conf = 0;
  for (const { trueValue, prediction } of items) {
    const d = tenthDistance(trueValue, prediction.value);
    err += d / 10;
    if (d <= 2) w2++;
    if (d <= 1) w1++;
    conf += prediction.confidence;
  }
  const n = items.length;
  const r = (x: number) => (n === 0 ? 0 : Math.round((x / n) * 10000) / 10000);
  return { n, meanError: r(err), within2: r(w2), within1: r(w1), meanConfidence: r(conf) };
}

export function scorePointers(items: ScoredPointer[]): PointerReport {
  const perPointer: Record<string, PointerScores> = {};
  for (const m of [...new Set(items.map((i) => i.meter))].sort()) perPointer[m] = pointerScores(items.filter((i) => i.meter === m));
  return { ...pointerScores(items), perPointer };
}

/** Whether a prediction is within ±0.1 of the truth (circular): what `confidence` estimates. */
export const isTenthHit = (trueValue: number, predicted: number): boolean => tenthDistance(trueValue, predicted) <= 1;
/** Whether a dial position is within ±0.2 of the truth (circular): the pointer figures' "right". */
export const isPointerHit = (trueValue: number, predicted: number): boolean => tenthDistance(trueValue, predicted) <= 2;
