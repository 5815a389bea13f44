import { valueToClass } from './dataset.js';
import { decodeProbabilities, type DigitPrediction } from './decode.js';
import { JUNK_CLASS, NUM_CLASSES, softTargets } from './model.js';

/**
 * The output heads the digit model can be trained with (issue 4 compares them, see models/HEADS.md):
 * - tenths100: softmax over the 100 tenths 0.0–9.9 (the committed models);
 * - digits10: softmax over the 10 digits, target split between the two digits the drum is between,
 *   value = circular expectation of the probabilities (so tenths still come out);
 * - circular: 2 linear outputs (cos, sin) of the angle value·36°, value = atan2.
 */
export type HeadName = 'tenths100' | 'digits10' | 'circular';
export const HEAD_NAMES: readonly HeadName[] = ['tenths100', 'digits10', 'circular'];

export interface HeadSpec {
  units: number;
  activation: 'softmax' | 'linear';
  loss: 'categoricalCrossentropy' | 'meanSquaredError';
  description: string;
  targetsDescription: string;
  confidenceDescription: string;
  /** Training targets for drum values (NaN = a junk crop), `units` per row. */
  targets(values: ArrayLike<number>, sigma?: number): Float32Array;
  /** One row of model outputs to a prediction. */
  decode(outputs: ArrayLike<number>, offset?: number): DigitPrediction;
}

const STEP = (2 * Math.PI) / 10;
const round1 = (v: number) => Math.round(v * 10) / 10;
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The value 0.0–9.9 (to a tenth) of the angle of (c, s), and the vector's length clipped to [0, 1]. */
function fromVector(c: number, s: number): DigitPrediction {
  const angle = Math.atan2(s, c);
  // Rounding to a tenth can give 10.0: that is 0.0 on the drum.
  const value = round1((((angle / STEP) % 10) + 10) % 10) % 10;
  return { value, digit: Math.floor(value + 1e-9), confidence: round3(Math.min(1, Math.max(0, Math.hypot(c, s)))) };
}

export const HEADS: Record<HeadName, HeadSpec> = {
  tenths100: {
    units: NUM_CLASSES,
    activation: 'softmax',
    loss: 'categoricalCrossentropy',
    description: '100-class tenths (0.0-9.9); digit = floor(value)',
    targetsDescription: '0.8 on the labeled tenth, 0.1 on each circular neighbour',
    confidenceDescription: 'softmax mass of the predicted tenth and its two circular neighbours',
    targets: (values, sigma) => softTargets(Array.from(values, (v) => (Number.isNaN(v) ? JUNK_CLASS : valueToClass(v))), sigma),
    decode: decodeProbabilities,
  },
  digits10: {
    units: 10,
    activation: 'softmax',
    loss: 'categoricalCrossentropy',
    description: '10-class digits; value = circular expectation (angle of Σ p_k·(cos 36k°, sin 36k°)); digit = floor(value)',
    targetsDescription: 'split between the two digits the drum is between (3.4: 0.6 on 3, 0.4 on 4); junk uniform',
    confidenceDescription: 'length of the probability-weighted sum of the digits’ unit vectors (uniform → 0)',
    targets(values) {
      const out = new Float32Array(values.length * 10);
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (Number.isNaN(v)) {
          out.fill(0.1, i * 10, (i + 1) * 10);
          continue;
        }
        // Work in whole tenths so 3.4 splits exactly 0.6/0.4 (no float residue).
        const tenths = Math.round(v * 10) % 100;
        const lo = Math.floor(tenths / 10);
        const frac = (tenths % 10) / 10;
        out[i * 10 + lo] = 1 - frac;
        out[i * 10 + ((lo + 1) % 10)] = out[i * 10 + ((lo + 1) % 10)]! + frac;
      }
      return out;
    },
    decode(probs, offset = 0) {
      let c = 0;
      let s = 0;
      for (let k = 0; k < 10; k++) {
        c += probs[offset + k]! * Math.cos(k * STEP);
        s += probs[offset + k]! * Math.sin(k * STEP);
      }
      return fromVector(c, s);
    },
  },
  circular: {
    units: 2,
    activation: 'linear',
    loss: 'meanSquaredError',
    description: '2 linear outputs (cos, sin) of value·36°; value = atan2; digit = floor(value)',
    targetsDescription: '(cos, sin) of value·36°, mean squared error; junk (0, 0)',
    confidenceDescription: 'length of the (cos, sin) output clipped to [0, 1]',
    targets(values) {
      const out = new Float32Array(values.length * 2);
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        // Junk: the zero vector, so its predicted length (the confidence) learns to be small.
        if (Number.isNaN(v)) continue;
        out[i * 2] = Math.cos(v * STEP);
        out[i * 2 + 1] = Math.sin(v * STEP);
      }
      return out;
    },
    decode: (o, offset = 0) => fromVector(o[offset]!, o[offset + 1]!),
  },
};

export function parseHead(head: string | undefined): HeadName {
  if (head === undefined) return 'tenths100';
  if ((HEAD_NAMES as readonly string[]).includes(head)) return head as HeadName;
  throw new Error(`head must be one of ${HEAD_NAMES.join(', ')}, got '${head}'`);
}
