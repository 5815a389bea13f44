import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeProbabilities } from './decode.js';
import { type HeadName, parseHead } from './heads.js';
import { NUM_CLASSES } from './model.js';

/**
 * Temperature scaling (Guo et al. 2017) applied to softmax outputs in place: p_i^(1/T) / Σ p^(1/T),
 * which equals softmax(logits / T). T > 1 flattens (less confident), T < 1 sharpens.
 */
export function applyTemperature(probs: Float32Array, temperature: number): void {
  const inv = 1 / temperature;
  for (let row = 0; row < probs.length; row += NUM_CLASSES) {
    // Work in logs (relative to the max) so tiny probabilities do not underflow.
    let max = -Infinity;
    for (let c = 0; c < NUM_CLASSES; c++) max = Math.max(max, Math.log(Math.max(probs[row + c]!, 1e-30)));
    let sum = 0;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = Math.exp((Math.log(Math.max(probs[row + c]!, 1e-30)) - max) * inv);
      probs[row + c] = v;
      sum += v;
    }
    for (let c = 0; c < NUM_CLASSES; c++) probs[row + c]! /= sum;
  }
}

const tenthDistance = (a: number, b: number): number => {
  const d = Math.abs(a - b) % NUM_CLASSES;
  return Math.min(d, NUM_CLASSES - d);
};

/**
 * The temperature that makes the reported confidence (mass within ±0.1 of the predicted tenth)
 * match how often the prediction is within ±0.1: minimum Brier score of confidence against that
 * outcome, over a grid of T from 0.05 to 8 (wide targets such as the pointers' Gaussian need
 * T < 1). Fit on crops the model did not train on.
 */
export function fitTemperature(probs: Float32Array, trueClasses: ArrayLike<number>): { temperature: number; brier: number } {
  let best = { temperature: 1, brier: Infinity };
  for (let t = 0.05; t <= 8.0001; t *= 1.05) {
    const p = Float32Array.from(probs);
    applyTemperature(p, t);
    let brier = 0;
    for (let i = 0; i < trueClasses.length; i++) {
      const pred = decodeProbabilities(p, i * NUM_CLASSES);
      const hit = tenthDistance(Math.round(pred.value * 10), trueClasses[i]!) <= 1 ? 1 : 0;
      brier += (pred.confidence - hit) ** 2;
    }
    brier /= Math.max(1, trueClasses.length);
    if (brier < best.brier) best = { temperature: Math.round(t * 1000) / 1000, brier: Math.round(brier * 10000) / 10000 };
  }
  return best;
}

export interface Reliability {
  /** Expected calibration error: Σ_bins n_b/n · |accuracy_b − confidence_b|. */
  ece: number;
  bins: Array<{ from: number; to: number; n: number; meanConfidence: number; accuracy: number }>;
}

/** Reliability table (10 equal-width confidence bins) and ECE of confidences against outcomes. */
export function reliability(confidences: ArrayLike<number>, hits: ArrayLike<boolean>, binCount = 10): Reliability {
  const bins = Array.from({ length: binCount }, (_, b) => ({ from: b / binCount, to: (b + 1) / binCount, n: 0, conf: 0, hit: 0 }));
  for (let i = 0; i < confidences.length; i++) {
    const bin = bins[Math.min(binCount - 1, Math.floor(confidences[i]! * binCount))]!;
    bin.n++;
    bin.conf += confidences[i]!;
    bin.hit += hits[i] ? 1 : 0;
  }
  const n = confidences.length;
  let ece = 0;
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  const out = bins.map((b) => {
    const meanConfidence = b.n ? b.conf / b.n : 0;
    const accuracy = b.n ? b.hit / b.n : 0;
    ece += n ? (b.n / n) * Math.abs(accuracy - meanConfidence) : 0;
    return { from: r4(b.from), to: r4(b.to), n: b.n, meanConfidence: r4(meanConfidence), accuracy: r4(accuracy) };
  });
  return { ece: r4(ece), bins: out };
}

export const CALIBRATION_FILE = 'calibration.json';

export interface Calibration {
  temperature: number;
  /** What the temperature was fitted on (never the val split). */
  fittedOn: string;
  n: number;
  brier: number;
  /** The model's output head (how its outputs decode); absent in older files: tenths100. */
  head?: HeadName;
  /** Test-time horizontal shifts averaged at inference (predict.ts Inference); absent: [0]. */
  shifts?: number[];
  /** Cascade margin (predict.ts Inference `quickAccept`): crops at least this confident unshifted skip the shifts. */
  quickAccept?: number;
}

/** The calibration saved beside a model (head defaulted), or T = 1 when there is none. */
export async function readCalibration(modelDir: string): Promise<Calibration> {
  const file = path.join(modelDir, CALIBRATION_FILE);
  if (!existsSync(file)) return { temperature: 1, fittedOn: 'none', n: 0, brier: NaN, head: 'tenths100' };
  const json = JSON.parse(await readFile(file, 'utf8')) as Calibration;
  if (!(json.temperature > 0)) throw new Error(`${file}: temperature must be positive`);
  if (json.shifts !== undefined && !(Array.isArray(json.shifts) && json.shifts.length > 0 && json.shifts.every((s) => Number.isInteger(s) && Math.abs(s) <= 4))) {
    throw new Error(`${file}: shifts must be a list of whole pixels within ±4`);
  }
  if (json.quickAccept !== undefined && !(json.quickAccept > 0 && json.quickAccept <= 1)) {
    throw new Error(`${file}: quickAccept must be a confidence in (0, 1]`);
  }
  return { ...json, head: parseHead(json.head), shifts: json.shifts ?? [0] };
}

export async function writeCalibration(modelDir: string, calibration: Calibration): Promise<void> {
  await writeFile(path.join(modelDir, CALIBRATION_FILE), JSON.stringify(calibration, null, 2) + '\n');
}
