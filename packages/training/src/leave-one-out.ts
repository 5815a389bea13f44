import path from 'node:path';
import { type DigitDataset, type DigitReport, type DigitScores, KINDS, loadDigitDataset, splitIndices } from '@metertwin/recognizer';
import { scoreSplit } from './score.js';
import { trainRecognizer } from './train.js';

export interface LeaveOneOutOptions {
  /** Labeled digit crops with a train split (default: the shared meter-digits set). */
  dataDir?: string;
  /** Train meters to hold out in turn (default: every one). */
  meters?: readonly string[];
  /** Training budget of each fold: a short one ranks model choices, it does not make a model. */
  epochs?: number;
  stepsPerEpoch?: number;
  seed?: number;
  /** Pool of synthetic drums, rendered once for all folds (default 5,000: a short budget draws a few thousand). */
  syntheticCount?: number;
  log?: (line: string) => void;
}

/** The figures of the crops of held-out meters, each scored by the model trained without it. */
export interface LeaveOneOutReport {
  kind: 'digits';
  data: string;
  budget: { epochs: number; stepsPerEpoch: number; batchSize: number; seed: number; syntheticDrums: number; calibration: string };
  /** Each held-out meter: its crops scored by the fold's model, and the crops that model trained on. */
  perMeter: Record<string, DigitScores & { trainedOn: number }>;
  /** All held-out crops pooled (each meter weighs by its crops). */
  overall: DigitScores;
  /** The plain mean over meters (each meter weighs the same: what a new customer's meter can expect). */
  meanOverMeters: Pick<DigitScores, 'strictInteger' | 'tolerantInteger' | 'tenthsWithin1'>;
  worstMeter: { meter: string; tolerantInteger: number } | null;
  seconds: number;
}

/**
 * Leave-one-meter-out over the train meters of a digit data set (its val meters are not touched):
 * each fold trains a model on all train meters but one and scores that one, so model choices are
 * judged on many unseen meters rather than on the four val meters alone. No temperature is fitted
 * (T = 1): the figures are about the digits read, not the confidence.
 */
export async function leaveOneMeterOut(options: LeaveOneOutOptions = {}): Promise<LeaveOneOutReport> {
  const spec = KINDS.digits;
  const log = options.log ?? (() => {});
  const started = Date.now();
  const dataDir = path.resolve(options.dataDir ?? spec.defaultData);
  const train = await loadDigitDataset(dataDir, { ...spec.scan, input: spec.input, filter: (s) => s.split === 'train' });
  const all = [...new Set(train.samples.map((s) => s.meter))].sort();
  const meters = options.meters ?? all;
  const unknown = meters.filter((m) => !all.includes(m));
  if (unknown.length > 0) throw new Error(`not train meters of ${dataDir}: ${unknown.join(', ')}`);
  if (all.length < 2) throw new Error(`leave-one-meter-out needs at least two train meters in ${dataDir}`);
  const budget = {
    epochs: options.epochs ?? 1,
    stepsPerEpoch: options.stepsPerEpoch ?? 400,
    batchSize: 64,
    seed: options.seed ?? 1,
    syntheticDrums: options.syntheticCount ?? 5000,
    calibration: 'none (T = 1)',
  };

  const perMeter: LeaveOneOutReport['perMeter'] = {};
  for (const [k, meter] of meters.entries()) {
    const fold: DigitDataset = { ...train, samples: train.samples.map((s) => ({ ...s, split: s.meter === meter ? 'val' : 'train' })) };
    const heldOut = splitIndices(fold, 'val');
    log(`fold ${k + 1}/${meters.length}: ${meter} held out (${heldOut.length} crops)`);
    const { model } = await trainRecognizer('digits', {
      dataset: fold,
      epochs: budget.epochs,
      stepsPerEpoch: budget.stepsPerEpoch,
      batchSize: budget.batchSize,
      seed: budget.seed,
      syntheticCount: budget.syntheticDrums,
      calibrationMeters: [],
      validate: false,
      log,
    });
    try {
      const report = (await scoreSplit('digits', model, fold, heldOut)) as DigitReport;
      perMeter[meter] = { ...report.perMeter[meter]!, trainedOn: fold.samples.length - heldOut.length };
      log(`fold ${k + 1}/${meters.length}: ${meter} tolerant integer ${(report.tolerantInteger * 100).toFixed(1)}%`);
    } finally {
      model.dispose();
    }
  }
  const scores = Object.values(perMeter);
  const worst = Object.entries(perMeter).sort((a, b) => a[1].tolerantInteger - b[1].tolerantInteger)[0];
  return {
    kind: 'digits',
    data: dataDir,
    budget,
    perMeter,
    overall: pooled(scores),
    meanOverMeters: {
      strictInteger: mean(scores.map((s) => s.strictInteger)),
      tolerantInteger: mean(scores.map((s) => s.tolerantInteger)),
      tenthsWithin1: mean(scores.map((s) => s.tenthsWithin1)),
    },
    worstMeter: worst ? { meter: worst[0], tolerantInteger: worst[1].tolerantInteger } : null,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/** Scores of several sets of crops as one set: each share weighted by its crops. */
function pooled(scores: DigitScores[]): DigitScores {
  const n = scores.reduce((sum, s) => sum + s.n, 0);
  const weighted = (key: Exclude<keyof DigitScores, 'n'>) =>
    n === 0 ? 0 : round4(scores.reduce((sum, s) => sum + s[key] * s.n, 0) / n);
  return {
    n,
    strictInteger: weighted('strictInteger'),
    tolerantInteger: weighted('tolerantInteger'),
    tenthsWithin1: weighted('tenthsWithin1'),
    tenthsExact: weighted('tenthsExact'),
    meanConfidence: weighted('meanConfidence'),
  };
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;
const mean = (xs: number[]) => (xs.length === 0 ? 0 : round4(xs.reduce((a, b) => a + b, 0) / xs.length));
