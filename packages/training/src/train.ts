import { createHash } from 'node:crypto';
import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { augmentInto, buildDigitModel, type Calibration, createRng, describeDataset, type DigitDataset, type DigitSample, type HeadName, HEADS, initBackend, type InputShape, inputValues, jpegCopies, KINDS, loadDatasets, loadLayersModelFromDir, modelOutputWidth, type RecognizerKind, type Rng, roundWeightsToFloat16, saveLayersModel, splitIndices, standardizeInto, tf, writeCalibration } from '@metertwin/recognizer';
import { fitHeldOutCalibration } from './fit-calibration.js';
import { trainingJunk } from './junk.js';
import { type JunkReport, scoreJunk, scoreSplit, type SplitReport } from './score.js';
import { syntheticDrums } from './synthetic.js';
import { syntheticDials } from './synthetic-dials.js';

export interface TrainDigitsOptions {
  /** Folder(s) of labeled crops (default: the kind's shared data set); later folders add to the first. */
  dataDir?: string | string[];
  /** Where to write model.json, weights.bin, calibration.json and report.json; nothing is written without it. */
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
  /** Share of each batch filled with generated junk crops that get a flat target (default 0.06). */
  junkShare?: number;
  /**
   * Share of each batch filled with synthetic crops, drawn from a pool of `syntheticCount` (default
   * 20,000): for digits drums rendered from fonts (synthetic.ts, default 0.25), for pointers dials of
   * many styles (synthetic-dials.ts, default 0); 0 = real crops only.
   */
  syntheticShare?: number;
  syntheticCount?: number;
  /**
   * Train meters held out to fit the confidence temperature (default: the kind's, else ~8% of
   * train crops from meters picked by name hash); `[]` fits nothing (T = 1).
   */
  calibrationMeters?: readonly string[];
  /** Score the val split after every epoch (default true when it has samples). */
  validate?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** The dataset, when already loaded. */
  dataset?: DigitDataset;
  /** Start from this saved model (fine-tuning) instead of random weights. */
  initModelDir?: string;
  /** Output head (heads.ts, default tenths100); only tenths100 gets a fitted temperature. */
  head?: HeadName;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  seconds: number;
  val?: Record<string, number>;
}

export interface DigitTrainingReport {
  kind: RecognizerKind;
  version: string;
  createdAt: string;
  command: string;
  model: {
    architecture: string;
    params: number;
    weightsBytes: number;
    input: InputShape;
    head: string;
    confidence: string;
  };
  data: {
    dir: string;
    train: { samples: number; meters: number };
    calibration: { samples: number; meters: string[] };
    val: { samples: number; meters: number };
    duplicatesDropped: number;
  };
  training: {
    epochs: number;
    batchSize: number;
    stepsPerEpoch: number;
    learningRate: number;
    schedule: string;
    sampling: string;
    augmentation: string;
    synthetic: string;
    junk: string;
    targets: string;
    seed: number;
    backend: string;
    seconds: number;
    history: EpochRecord[];
  };
  calibration: Calibration;
  val: SplitReport | null;
  junk: JunkReport;
}

export interface TrainDigitsResult {
  model: tf.LayersModel;
  /** Training loss of every step. */
  losses: number[];
  report: DigitTrainingReport;
}

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

/**
 * Train meters picked by name hash until ~5% of train crops are held out, at most 4 meters (meter
 * variety is what generalizes to unseen meters, so few are spared); needs ≥ 5 meters.
 */
function pickCalibrationMeters(dataset: DigitDataset, train: number[]): string[] {
  const counts = new Map<string, number>();
  for (const i of train)
    counts.set(dataset.samples[i]!.meter, (counts.get(dataset.samples[i]!.meter) ?? 0) + 1);
  if (counts.size < 5) return [];
  const byHash = [...counts.keys()].sort((a, b) =>
    createHash('sha1').update(a).digest('hex').localeCompare(createHash('sha1').update(b).digest('hex')),
  );
  const picked: string[] = [];
  let held = 0;
  for (const m of byHash) {
    if (held >= 0.05 * train.length || picked.length >= 4) break;
    // One meter may not eat a big share of the training data.
    if (counts.get(m)! > 0.03 * train.length) continue;
    picked.push(m);
    held += counts.get(m)!;
  }
  return picked.sort();
}

/** Share of real training samples taken from their JPEG-degraded copy. */
const JPEG_SHARE = 0.2;

const wrapValue = (v: number) => ((v % 10) + 10) % 10;

/** JPEG copies made per crop pixels and seed: the folds of a leave-one-out run share one dataset's pixels. */
const madeJpegCopies = new WeakMap<Uint8Array, Map<number, Promise<Uint8Array>>>();
function jpegCopiesOf(dataset: DigitDataset, seed: number): Promise<Uint8Array> {
  const bySeed = madeJpegCopies.get(dataset.pixels) ?? new Map<number, Promise<Uint8Array>>();
  madeJpegCopies.set(dataset.pixels, bySeed);
  let copies = bySeed.get(seed);
  if (!copies) {
    copies = jpegCopies(dataset.pixels, dataset.input, createRng(seed + 11));
    bySeed.set(seed, copies);
  }
  return copies;
}

/** Train the digit model (see trainRecognizer). */
export function trainDigits(options: TrainDigitsOptions = {}): Promise<TrainDigitsResult> {
  return trainRecognizer('digits', options);
}

/** Train the pointer model with the same code (32x32 input, rotation augmentation). */
export function trainPointers(options: TrainDigitsOptions = {}): Promise<TrainDigitsResult> {
  return trainRecognizer('pointers', options);
}

export async function trainRecognizer(
  kind: RecognizerKind,
  options: TrainDigitsOptions = {},
): Promise<TrainDigitsResult> {
  const spec = KINDS[kind];
  const log = options.log ?? (() => {});
  const backend = await initBackend();
  const dataDirs = (
    Array.isArray(options.dataDir) ? options.dataDir : [options.dataDir ?? spec.defaultData]
  ).map((d) => path.resolve(d));
  const started = Date.now();
  const dataset =
    options.dataset ??
    (await loadDatasets(dataDirs, {
      ...spec.scan,
      input: spec.input,
      filter: options.filter,
      onProgress: (done, total) => {
        if (done % 4096 < 32 || done === total) log(`decoding crops ${done}/${total}`);
      },
    }));
  const input = dataset.input;
  const values = inputValues(input);
  const allTrain = splitIndices(dataset, 'train');
  const val = splitIndices(dataset, 'val');
  const calibrationMeters =
    options.calibrationMeters ?? spec.calibrationMeters ?? pickCalibrationMeters(dataset, allTrain);
  const calib = allTrain.filter((i) => calibrationMeters.includes(dataset.samples[i]!.meter));
  const train = allTrain.filter((i) => !calibrationMeters.includes(dataset.samples[i]!.meter));
  if (train.length === 0) throw new Error(`no training samples in ${dataDirs.join(', ')}`);
  const summary = describeDataset(dataset);
  summary.train = {
    samples: train.length,
    meters: new Set(train.map((i) => dataset.samples[i]!.meter)).size,
  };
  log(
    `${kind}: train ${summary.train.samples} crops / ${summary.train.meters} meters, calibration ${calib.length} / ${calibrationMeters.length}, ` +
      `val ${summary.val.samples} / ${summary.val.meters} meters, ${dataset.duplicates} duplicates dropped (backend ${backend})`,
  );

  const epochs = options.epochs ?? 12;
  const batchSize = options.batchSize ?? 64;
  const stepsPerEpoch = options.stepsPerEpoch ?? Math.ceil(train.length / batchSize);
  const lr0 = options.learningRate ?? 2e-3;
  const seed = options.seed ?? 1;
  const augment = options.augment ?? true;
  const junkShare = options.junkShare ?? 0.06;
  const validate = (options.validate ?? true) && val.length > 0;
  const rng = createRng(seed);
  const sample = meterBalancedSampler(dataset.samples, train, rng);
  const junk = junkShare > 0 ? await trainingJunk(input, seed + 7) : [];
  const jpeg = augment ? await jpegCopiesOf(dataset, seed) : undefined;
  const syntheticShare = options.syntheticShare ?? (kind === 'digits' ? 0.25 : 0);
  const syntheticCount = options.syntheticCount ?? 20_000;
  const syntheticName = kind === 'digits' ? 'drums' : 'dials';
  const synthetic =
    syntheticShare > 0
      ? await (kind === 'digits' ? syntheticDrums : syntheticDials)({
          count: syntheticCount,
          seed,
          input,
          onProgress: (done, total) => {
            if (done % 2048 < 16 || done === total) log(`rendering synthetic ${syntheticName} ${done}/${total}`);
          },
        })
      : undefined;

  const headName = options.head ?? 'tenths100';
  const head = HEADS[headName];
  const model = options.initModelDir
    ? (await loadLayersModelFromDir(options.initModelDir)).model
    : buildDigitModel(seed, input, kind, head);
  if (modelOutputWidth(model) !== head.units)
    throw new Error(`the model has ${modelOutputWidth(model)} outputs, head ${headName} needs ${head.units}`);
  const optimizer = tf.train.adam(lr0);
  model.compile({ optimizer, loss: head.loss });
  const params = model.countParams();
  const totalSteps = epochs * stepsPerEpoch;
  const warmup = Math.min(100, Math.floor(totalSteps / 10));
  const setLearningRate = (step: number) => {
    const lr =
      step < warmup
        ? (lr0 * (step + 1)) / warmup
        : lr0 *
          (0.02 +
            0.98 * 0.5 * (1 + Math.cos((Math.PI * (step - warmup)) / Math.max(1, totalSteps - warmup))));
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };

  const losses: number[] = [];
  const history: EpochRecord[] = [];
  const xBuf = new Float32Array(batchSize * values);
  const tmp = new Float32Array(values);
  // The drum value of each batch slot (NaN: a junk crop).
  const batchValues = new Float64Array(batchSize);
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStart = Date.now();
    let sum = 0;
    for (let s = 0; s < stepsPerEpoch; s++, step++) {
      for (let b = 0; b < batchSize; b++) {
        if (junk.length > 0 && rng() < junkShare) {
          const j = junk[Math.floor(rng() * junk.length)]!;
          batchValues[b] = NaN;
          augmentInto(j.rgb, 0, tmp, rng, { ...spec.augment, input, maxRotationSteps: 0 });
          standardizeInto(tmp, xBuf, b * values);
          continue;
        }
        if (synthetic && rng() < syntheticShare) {
          const k = Math.floor(rng() * syntheticCount);
          // Drums never turn; a dial turns about the crop centre with its label (the pointer's
          // direction turns alike wherever the dial's centre lies).
          const turned = augmentInto(synthetic.pixels, k * values, tmp, rng, {
            ...spec.augment,
            input,
            ...(kind === 'digits' ? { maxRotationSteps: 0 } : {}),
          });
          batchValues[b] = wrapValue(synthetic.values[k]! + turned);
          standardizeInto(tmp, xBuf, b * values);
          continue;
        }
        const i = sample();
        const value = dataset.samples[i]!.value;
        if (augment) {
          const source = jpeg && rng() < JPEG_SHARE ? jpeg : dataset.pixels;
          const turned = augmentInto(source, i * values, tmp, rng, { ...spec.augment, input });
          batchValues[b] = wrapValue(value + turned);
          standardizeInto(tmp, xBuf, b * values);
        } else {
          batchValues[b] = value;
          standardizeInto(dataset.pixels.subarray(i * values, (i + 1) * values), xBuf, b * values);
        }
      }
      setLearningRate(step);
      const [x, y] = tf.tidy(() => [
        tf.tensor4d(xBuf, [batchSize, input.height, input.width, input.channels]),
        tf.tensor2d(head.targets(batchValues, spec.targetSigma), [batchSize, head.units]),
      ]);
      const loss = (await model.trainOnBatch(x!, y!)) as number;
      tf.dispose([x!, y!]);
      losses.push(loss);
      sum += loss;
      if ((s + 1) % 50 === 0)
        log(`epoch ${epoch}/${epochs} step ${s + 1}/${stepsPerEpoch} loss ${(sum / (s + 1)).toFixed(4)}`);
    }
    const record: EpochRecord = {
      epoch,
      loss: Math.round((sum / stepsPerEpoch) * 10000) / 10000,
      seconds: 0,
    };
    if (validate) record.val = headline(await scoreSplit(kind, model, dataset, val, { head: headName }));
    record.seconds = Math.round((Date.now() - epochStart) / 100) / 10;
    history.push(record);
    log(
      `epoch ${epoch}/${epochs} loss ${record.loss.toFixed(4)}` +
        (record.val
          ? ` val ${Object.entries(record.val)
              .map(([k, v]) => `${k} ${k === 'meanError' ? v.toFixed(3) : pct(v)}`)
              .join(' ')}`
          : '') +
        ` (${record.seconds}s)`,
    );
  }

  // The file stores float16: calibrate and score the weights it will hold.
  roundWeightsToFloat16(model);
  let calibration: Calibration = { temperature: 1, fittedOn: 'none', n: 0, brier: NaN, head: headName };
  // Temperature scaling is written for the 100-class softmax; the other heads keep T = 1.
  if (calib.length > 0 && headName === 'tenths100') {
    calibration = await fitHeldOutCalibration(model, dataset, calib, {
      meters: calibrationMeters,
      augment: spec.calibrateAugmented ? spec.augment : undefined,
      seed,
      log,
    });
  }
  const valReport = validate
    ? await scoreSplit(kind, model, dataset, val, { temperature: calibration.temperature, head: headName })
    : null;
  const junkReport = await scoreJunk(model, { temperature: calibration.temperature, head: headName });
  log(
    `junk crops rejected at confidence < ${junkReport.threshold}: ${pct(junkReport.rejected)} of ${junkReport.n}`,
  );

  let version = 'unsaved';
  let weightsBytes = params * 2;
  if (options.outDir) {
    const saved = await saveLayersModel(model, options.outDir);
    version = saved.version;
    weightsBytes = saved.weightsBytes;
    await writeCalibration(options.outDir, calibration);
  }
  const report: DigitTrainingReport = {
    kind,
    version,
    createdAt: new Date().toISOString(),
    command:
      `pnpm -s metertwin train ${kind}` +
      (options.dataDir ? dataDirs.map((d) => ` --data ${path.relative(process.cwd(), d)}`).join('') : '') +
      (options.initModelDir ? ` --init ${path.relative(process.cwd(), options.initModelDir)}` : '') +
      ` --epochs ${epochs}` +
      (options.seed !== undefined ? ` --seed ${seed}` : '') +
      (options.stepsPerEpoch ? ` --steps ${stepsPerEpoch}` : '') +
      (headName !== 'tenths100' ? ` --head ${headName}` : '') +
      (options.learningRate ? ` --lr ${lr0}` : '') +
      (options.calibrationMeters?.length === 0 ? ' --no-calibration' : '') +
      (options.syntheticShare !== undefined ? ` --synthetic ${options.syntheticShare}` : '') +
      (options.outDir ? ` --out ${path.relative(process.cwd(), options.outDir)}` : ''),
    model: {
      architecture: `3x(conv3x3 32/64/96, BN, ReLU, maxpool2) + dense 128 + dropout 0.3 + ${head.activation} ${head.units}`,
      params,
      weightsBytes,
      input,
      head:
        kind === 'pointers' && headName === 'tenths100'
          ? '100-class tenths of the dial (0.0-9.9)'
          : `${headName}: ${head.description}`,
      confidence: `${head.confidenceDescription}, after temperature scaling (T = ${calibration.temperature})`,
    },
    data: {
      dir: dataDirs.map((d) => path.basename(d)).join(', '),
      train: summary.train,
      calibration: { samples: calib.length, meters: [...calibrationMeters] },
      val: summary.val,
      duplicatesDropped: dataset.duplicates,
    },
    training: {
      epochs,
      batchSize,
      stepsPerEpoch,
      learningRate: lr0,
      schedule: `Adam, linear warm-up ${warmup} steps, cosine decay to 2%`,
      sampling: 'with replacement, sample weight count(meter)^-0.5',
      augmentation: augment
        ? 'scale 0.9-1.12, shift ±2 px x / ±1 px y' +
          (spec.augment.window ? ' (30%: ±3.5 px y), frame bars 15%' : '') +
          (spec.augment.maxRotationSteps
            ? `, rotation ±${spec.augment.maxRotationSteps} steps (70%) with the label turned alike`
            : '') +
          (spec.augment.maxTiltDegrees ? `, tilt ±${spec.augment.maxTiltDegrees}° (50%)` : '') +
          ', channel shuffle 25%, greyscale 20%, per-channel gain 0.75-1.25, polarity inversion 30%, gamma, contrast, brightness, noise' +
          `, blur sigma 0.35-1.1 (25%), glare spot (10%), JPEG quality 15-60 (${JPEG_SHARE * 100}% of real crops)`
        : 'none',
      synthetic: synthetic
        ? kind === 'digits'
          ? `${Math.round(syntheticShare * 100)}% of the other batch slots: synthetic drums (${syntheticCount} rendered from ${synthetic.fonts.length} fonts, seed ${seed})`
          : `${Math.round(syntheticShare * 100)}% of the other batch slots: synthetic dials (${syntheticCount} rendered, seed ${seed}: white/cream/silver/black faces, red/dark red/black/white needles, arrows and spades, tails, caps, tick/digit/no scales, glare, blur, noise, JPEG, low resolution, framing jitter)`
        : 'none',
      junk:
        junkShare > 0
          ? `${Math.round(junkShare * 100)}% of batch slots: generated junk (flat, noise, stripes, gradients, letters ${'ACEFHJKMacefhkmn'}), uniform target`
          : 'none',
      targets:
        spec.targetSigma && headName === 'tenths100'
          ? `circular Gaussian over the tenths, sigma ${spec.targetSigma} tenths`
          : head.targetsDescription,
      seed,
      backend,
      seconds: Math.round((Date.now() - started) / 1000),
      history,
    },
    calibration,
    val: valReport,
    junk: junkReport,
  };
  if (options.outDir) {
    await writeFile(path.join(options.outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    const license = path.join(dataDirs[0]!, 'LICENSE');
    if (existsSync(license)) {
      await copyFile(license, path.join(options.outDir, 'LICENSE'));
      await chmod(path.join(options.outDir, 'LICENSE'), 0o644);
    }
    log(`saved ${options.outDir} (version ${version}, ${weightsBytes} bytes of weights)`);
  }
  return { model, losses, report };
}

/** The figures printed per epoch. */
export function headline(report: SplitReport): Record<string, number> {
  if ('strictInteger' in report) {
    return {
      strict: report.strictInteger,
      tolerant: report.tolerantInteger,
      'tenths±0.1': report.tenthsWithin1,
      ece: report.reliability.ece,
    };
  }
  return { meanError: report.meanError, '±0.2': report.within2, ece: report.reliability.ece };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
