import { NUM_CLASSES } from './model.js';

export interface DigitPrediction {
  /** Reading in tenths of a step, 0.0–9.9 (argmax of the tenths head). */
  value: number;
  /** Integer digit shown by the drum: floor(value). */
  digit: number;
  /**
   * Probability mass of the predicted tenth and its two circular neighbours (±0.1), from the
   * softmax. Not otherwise calibrated: see report.json for how it relates to accuracy on val.
   */
  confidence: number;
}

/** Decode one row of softmax probabilities (length 100). */
export function decodeProbabilities(probs: ArrayLike<number>, offset = 0): DigitPrediction {
  let best = 0;
  for (let c = 1; c < NUM_CLASSES; c++) if (probs[offset + c]! > probs[offset + best]!) best = c;
  const mass =
    probs[offset + best]! +
    probs[offset + ((best + 1) % NUM_CLASSES)]! +
    probs[offset + ((best + NUM_CLASSES - 1) % NUM_CLASSES)]!;
  return {
    value: best / 10,
    digit: Math.floor(best / 10),
    confidence: Math.round(Math.min(1, mass) * 1000) / 1000,
  };
}
