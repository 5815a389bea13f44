import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { augmentInto } from './augment.js';
import { initBackend } from './backend.js';
import { DEFAULT_DIGIT_DATA, describeDataset, type DigitDataset, type DigitSample, loadDigitDataset, SAMPLE_BYTES, splitIndices } from './dataset.js';
import { DIGIT_INPUT, standardizeInto } from './input.js';
import { saveLayersModel } from './io.js';
import { type DigitReport, scoreDigits } from './metrics.js';
import { buildDigitModel, NUM_CLASSES, softTargets } from './model.js';
import { predictDigits } from './predict.js';
import { createRng, type Rng } from './random.js';
import { tf } from './tf.js';

export interface TrainDigitsOptions {
  /** Folder of labeled crops (default ../shared/data/meter-digits from the repository root). */
  dataDir?: string;
  /** Where to write model.json, weights.bin and report.json; nothing is written without it. */
  outDir?: string;
  epochs?: number;
  batchSize?: number;
  /** Steps per epoch (default: train samples / batch size). */
  stepsPerEpoch?: number;
  learningRate?: number;
  seed?: number;
  /** Restrict the data (e.g. a small subset for a smoke test). */
  filter?: (sample: DigitSample) => boolean;
  augment?: boolean;
  /** Score the val split after every epoch (default true when it has samples). */
  validate?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** The dataset, when already loaded. */
  dataset?: DigitDataset;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  seconds: number;
  val?: { strictInteger: number; tolerantInteger: number; tenthsWithin1: number };
}

export interface DigitTrainingReport {
  version: string;
  createdAt: string;
  model: { architecture: string; params: number; weightsBytes: number; input: typeof DIGIT_INPUT; head: string; confidence: string };
  data: { dir: string; train: { samples: number; meters: number }; val: { samples: number; meters: number }; duplicatesDropped: number };
  training: {
    epochs: number;
    batchSize: number;
    stepsPerEpoch: number;
    learningRate: number;
    schedule: string;
    sampling: string;
    augmentation: string;
    targets: string;
    seed: number;
    backend: string;
    seconds: number;
    history: EpochRecord[];
  };
  val: DigitReport | null;
}

export interface TrainDigitsResult {
  model: tf.LayersModel;
  /** Training loss of every step. */
  losses: number[];
  report: DigitTrainingReport;
}

const VALUES = SAMPLE_BYTES;

/**
 * Sampling weights for balanced-ish meters: each sample weighs count(meter)^-0.5, so a meter's
 * share grows with the square root of its size (a few meters dominate the training split).
 */
function meterBalancedSampler(samples: DigitSample[], indices: number[], rng: Rng): () => number {
  const counts = new Map<string, number>();
  for (const i of indices) counts.set(samples[i]!.meter, (counts.get(samples[i]!.meter) ?? 0) + 1);
  const cumulative = new Float64Array(indices.length);
  let total = 0;
  indices.forEach((i, k) => {
    total += 1 / Math.sqrt(counts.get(samples[i]!.meter)!);
    cumulative[k] = total;
  });
  return () => {
    const r = rng() * total;
    let lo = 0;
    let hi = indices.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return indices[lo]!;
  };
}

export async function scoreSplit(model: tf.LayersModel, dataset: DigitDataset, indices: number[]): Promise<DigitReport> {
  const crops = indices.map((i) => dataset.pixels.subarray(i * VALUES, (i + 1) * VALUES));
  const predictions = await predictDigits(model, crops);
  return scoreDigits(
    indices.map((i, k) => ({ trueValue: dataset.samples[i]!.value, meter: dataset.samples[i]!.meter, prediction: predictions[k]! })),
  );
}

export async function trainDigits(options: TrainDigitsOptions = {}): Promise<TrainDigitsResult> {
  const log = options.log ?? (() => {});
  const backend = await initBackend();
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_DIGIT_DATA);
  const started = Date.now();
  const dataset =
    options.dataset ??
    (await loadDigitDataset(dataDir, {
      filter: options.filter,
      onProgress: (done, total) => {
        if (done % 4096 < 32 || done === total) log(`decoding crops ${done}/${total}`);
      },
    }));
  const train = splitIndices(dataset, 'train');
  const val = splitIndices(dataset, 'val');
  if (train.length === 0) throw new Error(`no training samples in ${dataDir}`);
  const summary = describeDataset(dataset);
  log(`data: train ${summary.train.samples} crops / ${summary.train.meters} meters, val ${summary.val.samples} / ${summary.val.meters} meters, ${dataset.duplicates} duplicates dropped (backend ${backend})`);

  const epochs = options.epochs ?? 12;
  const batchSize = options.batchSize ?? 64;
  const stepsPerEpoch = options.stepsPerEpoch ?? Math.ceil(train.length / batchSize);
  const lr0 = options.learningRate ?? 2e-3;
  const seed = options.seed ?? 1;
  const augment = options.augment ?? true;
  const validate = (options.validate ?? true) && val.length > 0;
  const rng = createRng(seed);
  const sample = meterBalancedSampler(dataset.samples, train, rng);

  const model = buildDigitModel(seed);
  const optimizer = tf.train.adam(lr0);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const params = model.countParams();
  const totalSteps = epochs * stepsPerEpoch;
  const warmup = Math.min(100, Math.floor(totalSteps / 10));
  const setLearningRate = (step: number) => {
    const lr =
      step < warmup ? (lr0 * (step + 1)) / warmup : lr0 * (0.02 + 0.98 * 0.5 * (1 + Math.cos((Math.PI * (step - warmup)) / Math.max(1, totalSteps - warmup))));
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };

  const losses: number[] = [];
  const history: EpochRecord[] = [];
  const xBuf = new Float32Array(batchSize * VALUES);
  const tmp = new Float32Array(VALUES);
  const classes = new Int32Array(batchSize);
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStart = Date.now();
    let sum = 0;
    for (let s = 0; s < stepsPerEpoch; s++, step++) {
      for (let b = 0; b < batchSize; b++) {
        const i = sample();
        classes[b] = dataset.samples[i]!.cls;
        if (augment) {
          augmentInto(dataset.pixels, i * VALUES, tmp, rng);
          standardizeInto(tmp, xBuf, b * VALUES);
        } else {
          standardizeInto(dataset.pixels.subarray(i * VALUES, (i + 1) * VALUES), xBuf, b * VALUES);
        }
      }
      setLearningRate(step);
      const [x, y] = tf.tidy(() => [
        tf.tensor4d(xBuf, [batchSize, DIGIT_INPUT.height, DIGIT_INPUT.width, DIGIT_INPUT.channels]),
        tf.tensor2d(softTargets(classes), [batchSize, NUM_CLASSES]),
      ]);
      const loss = (await model.trainOnBatch(x!, y!)) as number;
      tf.dispose([x!, y!]);
      losses.push(loss);
      sum += loss;
      if ((s + 1) % 50 === 0) log(`epoch ${epoch}/${epochs} step ${s + 1}/${stepsPerEpoch} loss ${(sum / (s + 1)).toFixed(4)}`);
    }
    const record: EpochRecord = { epoch, loss: Math.round((sum / stepsPerEpoch) * 10000) / 10000, seconds: 0 };
    if (validate) {
      const v = await scoreSplit(model, dataset, val);
      record.val = { strictInteger: v.strictInteger, tolerantInteger: v.tolerantInteger, tenthsWithin1: v.tenthsWithin1 };
    }
    record.seconds = Math.round((Date.now() - epochStart) / 100) / 10;
    history.push(record);
    log(
      `epoch ${epoch}/${epochs} loss ${record.loss.toFixed(4)}` +
        (record.val
          ? ` val strict ${pct(record.val.strictInteger)} tolerant ${pct(record.val.tolerantInteger)} tenths±0.1 ${pct(record.val.tenthsWithin1)}`
          : '') +
        ` (${record.seconds}s)`,
    );
  }

  const valReport = validate ? await scoreSplit(model, dataset, val) : null;
  let version = 'unsaved';
  let weightsBytes = params * 4;
  if (options.outDir) {
    const saved = await saveLayersModel(model, options.outDir);
    version = saved.version;
    weightsBytes = saved.weightsBytes;
  }
  const report: DigitTrainingReport = {
    version,
    createdAt: new Date().toISOString(),
    model: {
      architecture: '3x(conv3x3 32/64/96, BN, ReLU, maxpool2) + dense 128 + dropout 0.3 + softmax 100',
      params,
      weightsBytes,
      input: DIGIT_INPUT,
      head: '100-class tenths (0.0-9.9); digit = floor(value)',
      confidence: 'softmax mass of the predicted tenth and its two circular neighbours (uncalibrated; see val.byConfidence)',
    },
    data: { dir: path.basename(dataDir), train: summary.train, val: summary.val, duplicatesDropped: dataset.duplicates },
    training: {
      epochs,
      batchSize,
      stepsPerEpoch,
      learningRate: lr0,
      schedule: `Adam, linear warm-up ${warmup} steps, cosine decay to 2%`,
      sampling: 'with replacement, sample weight count(meter)^-0.5',
      augmentation: augment
        ? 'scale 0.9-1.12, shift ±2 px x / ±1 px y (30%: ±3.5 px y), frame bars 15%, channel shuffle 25%, greyscale 20%, per-channel gain 0.75-1.25, polarity inversion 30%, gamma, contrast, brightness, noise'
        : 'none',
      targets: '0.8 on the labeled tenth, 0.1 on each circular neighbour',
      seed,
      backend,
      seconds: Math.round((Date.now() - started) / 1000),
      history,
    },
    val: valReport,
  };
  if (options.outDir) {
    await writeFile(path.join(options.outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    const license = path.join(dataDir, 'LICENSE');
    if (existsSync(license)) {
      await copyFile(license, path.join(options.outDir, 'LICENSE'));
      await chmod(path.join(options.outDir, 'LICENSE'), 0o644);
    }
    log(`saved ${options.outDir} (version ${version}, ${weightsBytes} bytes of weights)`);
  }
  return { model, losses, report };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
