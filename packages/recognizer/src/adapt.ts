import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { augmentInto } from './augment.js';
import { initBackend } from './backend.js';
import { CALIBRATION_FILE, readCalibration, writeCalibration } from './calibration.js';
import { type DigitDataset, loadDatasets, loadDigitDataset } from './dataset.js';
import { decodeProbabilities } from './decode.js';
import { inputValues, standardizeInto } from './input.js';
import { loadLayersModelFromDir, MODEL_FILE, saveLayersModel, WEIGHTS_FILE } from './io.js';
import { KINDS, type RecognizerKind } from './kinds.js';
import { isTenthHit, isTolerantHit } from './metrics.js';
import { softTargets } from './model.js';
import { predictProbabilities } from './predict.js';
import { createRng } from './random.js';
import { REVIEW_THRESHOLD } from './score.js';
import { tf } from './tf.js';

/** What an adapter writes beside its model: where it comes from and how it does on the meter's held-back labels. */
export const ADAPTER_FILE = 'adapter.json';

/** Every file of an adapter's directory: what has to be stored to load it elsewhere. */
export const ADAPTER_FILES = [MODEL_FILE, WEIGHTS_FILE, CALIBRATION_FILE, ADAPTER_FILE] as const;

export interface AdaptOptions {
  kind: RecognizerKind;
  /** Labeled crops of one meter, named like the shared data (`3.4_….jpg`). */
  dataDir: string;
  outDir: string;
  /** The model to adapt (default: the committed one of the kind). */
  modelDir?: string;
  /**
   * Labeled crops of other meters, replayed beside the meter's own so that the digits the meter has
   * not shown yet are not forgotten.
   */
  replayDirs: readonly string[];
  steps?: number;
  learningRate?: number;
  /** Every n-th of the meter's crops (by name) is held back to judge the adapter against the base model. */
  holdBackEvery?: number;
  seed?: number;
}

/** How a model does on the held-back labels: right (digits: integer, tolerant at a roll; dials: ±0.1) and wrong but sure. */
export interface HeldBackScore {
  n: number;
  right: number;
  /** Wrong with a confidence at or above the review threshold: what would be accepted without a person. */
  wrongConfident: number;
  /**
   * Mean probability the model gives the true tenth and its two neighbours: it tells two models apart
   * on the few crops a meter holds back, where `right` is mostly a tie.
   */
  truthMass: number;
  /** Each held-back label as the model answered it (confidence to 4 decimals): what a meter's threshold is learned from. */
  answers: { confidence: number; right: boolean }[];
}

export interface AdapterReport {
  kind: RecognizerKind;
  baseVersion: string;
  version: string;
  createdAt: string;
  labels: { train: number; heldBack: number };
  steps: number;
  heldBack: { base: HeldBackScore; adapted: HeldBackScore };
  /**
   * Worth using: no fewer held-back crops right and no more wrong-but-sure than the base model, and
   * more probability on the truth.
   */
  better: boolean;
}

const BATCH = 32;

/**
 * Fine-tunes a recognizer to one meter: the whole network, for a few hundred steps at a low learning
 * rate, on batches that are half the meter's own crops and half replayed crops of other meters, both
 * augmented as in training (`pnpm bench:adapt` measures it on meters the base never saw: README). Writes a
 * model directory that every loader reads (model.json, weights.bin, calibration.json of the base) plus
 * adapter.json.
 */
export async function adaptRecognizer(options: AdaptOptions): Promise<AdapterReport> {
  const spec = KINDS[options.kind];
  const modelDir = options.modelDir ?? spec.defaultModelDir;
  const { steps = 300, learningRate = 1e-4, holdBackEvery = 5, seed = 1 } = options;
  await initBackend();
  const load = { input: spec.input, cache: false } as const;
  const own = await loadDigitDataset(options.dataDir, { ...load, valMeters: [] });
  if (own.samples.length === 0) throw new Error(`${options.dataDir}: no labeled crops (names like 3.4_….jpg)`);
  const order = own.samples.map((s, i) => [s.relpath, i] as const).sort(([a], [b]) => a.localeCompare(b));
  const heldBack = order.filter((_, k) => k % holdBackEvery === holdBackEvery - 1).map(([, i]) => i);
  const held = new Set(heldBack);
  const train = order.map(([, i]) => i).filter((i) => !held.has(i));
  if (train.length === 0 || heldBack.length === 0) {
    throw new Error(`${options.dataDir}: ${own.samples.length} labeled crops are too few (${holdBackEvery} at least: one is held back)`);
  }
  const replay = await loadDatasets(options.replayDirs, load);
  if (replay.samples.length === 0) throw new Error(`no replay crops in ${options.replayDirs.join(', ')}`);

  const calibration = await readCalibration(modelDir);
  const { model, version: baseVersion } = await loadLayersModelFromDir(modelDir);
  const score = (m: tf.LayersModel) => scoreHeldBack(options.kind, m, own, heldBack, calibration);
  const base = await score(model);

  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy' });
  const rng = createRng(seed);
  const values = inputValues(spec.input);
  const x = new Float32Array(BATCH * values);
  const augmented = new Float32Array(values);
  for (let step = 0; step < steps; step++) {
    const targets: number[] = [];
    for (let b = 0; b < BATCH; b++) {
      const [data, i] = b % 2 === 0 ? [own, train[Math.floor(rng() * train.length)]!] : [replay, Math.floor(rng() * replay.samples.length)];
      const turned = augmentInto(data.pixels, i * values, augmented, rng, { ...spec.augment, input: spec.input });
      standardizeInto(augmented, x, b * values);
      targets.push(Math.round((data.samples[i]!.value + turned + 10) * 10) % 100);
    }
    const [xs, ys] = tf.tidy(() => [
      tf.tensor4d(x, [BATCH, spec.input.height, spec.input.width, spec.input.channels]),
      tf.tensor2d(softTargets(targets, spec.targetSigma), [BATCH, 100]),
    ]);
    await model.trainOnBatch(xs!, ys!);
    tf.dispose([xs!, ys!]);
  }
  const adapted = await score(model);
  const { version } = await saveLayersModel(model, options.outDir);
  model.dispose();
  await writeCalibration(options.outDir, calibration);
  const report: AdapterReport = {
    kind: options.kind,
    baseVersion,
    version,
    createdAt: new Date().toISOString(),
    labels: { train: train.length, heldBack: heldBack.length },
    steps,
    heldBack: { base, adapted },
    better: adapted.right >= base.right && adapted.wrongConfident <= base.wrongConfident && adapted.truthMass > base.truthMass,
  };
  await writeFile(path.join(options.outDir, ADAPTER_FILE), JSON.stringify(report, null, 2) + '\n');
  return report;
}

async function scoreHeldBack(
  kind: RecognizerKind,
  model: tf.LayersModel,
  data: DigitDataset,
  indices: number[],
  inference: { temperature: number; shifts?: number[] },
): Promise<HeldBackScore> {
  const values = inputValues(data.input);
  const probs = await predictProbabilities(
    model,
    indices.map((i) => data.pixels.subarray(i * values, (i + 1) * values)),
    inference,
  );
  let right = 0;
  let wrongConfident = 0;
  let truthMass = 0;
  const answers: HeldBackScore['answers'] = [];
  indices.forEach((i, k) => {
    const p = decodeProbabilities(probs, k * 100);
    const truth = data.samples[i]!.value;
    const hit = kind === 'digits' ? isTolerantHit(truth, p.digit) : isTenthHit(truth, p.value);
    answers.push({ confidence: Math.round(p.confidence * 10_000) / 10_000, right: hit });
    if (hit) right++;
    else if (p.confidence >= REVIEW_THRESHOLD) wrongConfident++;
    const c = Math.round(truth * 10) % 100;
    for (const d of [99, 0, 1]) truthMass += probs[k * 100 + ((c + d) % 100)]!;
  });
  return { n: indices.length, right, wrongConfident, truthMass: Math.round((truthMass / indices.length) * 10_000) / 10_000, answers };
}
