// Issue 14 §3: does a distance to the training embedding separate the digit ensemble's confident wrong
// reads on unseen meters from its confident right ones? Embeds (each member's penultimate dense layer,
// unshifted crop) a per-meter-balanced sample of the training crops, the train meters held out for the
// temperature (calibration.json `fittedOn`) and the val meters; scores each crop by several distances;
// picks cut-offs on the held-out train meters only (percentiles of their scores) and reports what they
// do to the val crops the full read accepts (confidence >= 0.9): wrong caught, right lost, AUROC.
// Run: pnpm exec tsx --conditions=source packages/training/scripts/measure-ood.ts [--per-meter 150] [--out FILE]
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_DIGIT_DATA, DEFAULT_DIGIT_MODEL_DIR, DIGIT_INPUT, HEADS, initBackend, inputValues, isTolerantHit, loadDigitDataset, loadLayersModelFromDir, predictProbabilities, readCalibration, REVIEW_THRESHOLD, scanDigitFolder, standardizeInto, tf } from '@metertwin/recognizer';
import { testJunk } from '../src/junk.js';

const { values } = parseArgs({
  options: {
    'per-meter': { type: 'string', default: '150' },
    data: { type: 'string', default: DEFAULT_DIGIT_DATA },
    model: { type: 'string', default: DEFAULT_DIGIT_MODEL_DIR },
    out: { type: 'string' },
  },
});
const perMeter = Number(values['per-meter']);
const SAMPLE_BYTES = inputValues(DIGIT_INPUT);

await initBackend();
const { model, version } = await loadLayersModelFromDir(values.model);
const calibration = await readCalibration(values.model);
const heldOut = calibration.fittedOn.split(': ').slice(1).join(': ').split(', ');

// Training sample: every `step`-th crop of each training meter, at most perMeter of each.
const { samples: all } = await scanDigitFolder(values.data);
const byMeter = new Map<string, string[]>();
for (const s of all) if (s.split === 'train' && !heldOut.includes(s.meter)) byMeter.set(s.meter, [...(byMeter.get(s.meter) ?? []), s.relpath]);
const trainPick = new Set<string>();
for (const paths of byMeter.values()) {
  const step = Math.max(1, paths.length / perMeter);
  for (let k = 0; k < Math.min(perMeter, paths.length); k++) trainPick.add(paths[Math.floor(k * step)]!);
}
const dataset = await loadDigitDataset(values.data, {
  filter: (s) => s.split === 'val' || heldOut.includes(s.meter) || trainPick.has(s.relpath),
});
const group = dataset.samples.map((s) => (s.split === 'val' ? 'val' : heldOut.includes(s.meter) ? 'heldOut' : 'train'));
const idx = (g: string) => group.flatMap((x, i) => (x === g ? [i] : []));
const crop = (i: number) => dataset.pixels.subarray(i * SAMPLE_BYTES, (i + 1) * SAMPLE_BYTES);
console.error(`version ${version}; train sample ${idx('train').length} crops of ${byMeter.size} meters, held out ${idx('heldOut').length} (${heldOut.length} meters), val ${idx('val').length}`);

// Each member's penultimate layer (dense 128, ReLU), fed the standardized unshifted crop.
const members = model.layers.filter((l) => l instanceof tf.Sequential) as tf.Sequential[];
const embedders = members.map((m) => {
  const dense = m.layers.slice(0, -1).findLast((l) => l.getClassName() === 'Dense')!;
  return tf.model({ inputs: m.inputs, outputs: dense.output as tf.SymbolicTensor });
});
const DIM = 128 * embedders.length;
async function embed(crops: ArrayLike<number>[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let s = 0; s < crops.length; s += 256) {
    const chunk = crops.slice(s, s + 256);
    const input = new Float32Array(chunk.length * SAMPLE_BYTES);
    chunk.forEach((c, i) => standardizeInto(c, input, i * SAMPLE_BYTES));
    const x = tf.tensor4d(input, [chunk.length, DIGIT_INPUT.height, DIGIT_INPUT.width, 3]);
    const parts = await Promise.all(embedders.map(async (e) => { const y = e.predict(x) as tf.Tensor; const d = (await y.data()) as Float32Array; y.dispose(); return d; }));
    x.dispose();
    const w = DIM / embedders.length;
    for (let i = 0; i < chunk.length; i++) {
      const v = new Float32Array(DIM);
      parts.forEach((p, m) => v.set(p.subarray(i * w, (i + 1) * w), m * w));
      out.push(v);
    }
  }
  return out;
}

const allIdx = dataset.samples.map((_, i) => i);
const emb = await embed(allIdx.map(crop));
const probs = await predictProbabilities(model, allIdx.map(crop), { temperature: calibration.temperature, shifts: calibration.shifts });
const { decode, units } = HEADS.tenths100;
const pred = allIdx.map((i) => decode(probs, i * units));
const junk = await testJunk();
const junkEmb = await embed(junk.map((j) => j.rgb));
const junkProbs = await predictProbabilities(model, junk.map((j) => j.rgb), { temperature: calibration.temperature, shifts: calibration.shifts });
const junkConf = junk.map((_, k) => decode(junkProbs, k * units).confidence);

// --- statistics from the training sample only ---
const train = idx('train');
const normalize = (v: Float32Array) => {
  const out = new Float32Array(v.length);
  const w = 128;
  for (let m = 0; m < v.length / w; m++) {
    let n = 0;
    for (let k = m * w; k < (m + 1) * w; k++) n += v[k]! ** 2;
    n = Math.sqrt(n) || 1;
    for (let k = m * w; k < (m + 1) * w; k++) out[k] = v[k]! / n / Math.sqrt(v.length / w);
  }
  return out;
};
const dot = (a: Float32Array, b: Float32Array) => { let s = 0; for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!; return s; };

function centroids(vectors: Float32Array[], classes: number[], count: number) {
  const sums = Array.from({ length: count }, () => new Float64Array(DIM));
  const n = new Array<number>(count).fill(0);
  vectors.forEach((v, i) => { n[classes[i]!]!++; for (let k = 0; k < DIM; k++) sums[classes[i]!]![k]! += v[k]!; });
  return sums.flatMap((s, c) => (n[c]! ? [Float32Array.from(s, (x) => x / n[c]!)] : []));
}
const trainEmb = train.map((i) => emb[i]!);
const trainNorm = trainEmb.map(normalize);
const cls100 = train.map((i) => dataset.samples[i]!.cls);
const cls10 = train.map((i) => Math.floor(dataset.samples[i]!.value));
const cosCentroids100 = centroids(trainNorm, cls100, 100).map(normalize);
const cosCentroids10 = centroids(trainNorm, cls10, 10).map(normalize);
const cosCentroid = (cents: Float32Array[]) => (v: Float32Array) => { const u = normalize(v); return 1 - Math.max(...cents.map((c) => dot(u, c))); };

// Mahalanobis with a shared (within-class) covariance, Ledoit-Wolf shrinkage toward μI.
function mahalanobis(classes: number[], count: number) {
  const means = centroids(trainEmb, classes, count);
  const meanOf = new Map<number, Float32Array>();
  let c = 0;
  const present = [...new Set(classes)].sort((a, b) => a - b);
  for (const k of present) meanOf.set(k, means[c++]!);
  const X = trainEmb.map((v, i) => Float64Array.from(v, (x, k) => x - meanOf.get(classes[i]!)![k]!));
  const n = X.length;
  const S = new Float64Array(DIM * DIM);
  for (const x of X) for (let a = 0; a < DIM; a++) { const xa = x[a]!; if (xa === 0) continue; for (let b = 0; b < DIM; b++) S[a * DIM + b]! += xa * x[b]!; }
  for (let k = 0; k < S.length; k++) S[k]! /= n;
  let mu = 0;
  for (let a = 0; a < DIM; a++) mu += S[a * DIM + a]!;
  mu /= DIM;
  let d2 = 0;
  for (let a = 0; a < DIM; a++) for (let b = 0; b < DIM; b++) d2 += (S[a * DIM + b]! - (a === b ? mu : 0)) ** 2;
  let b2 = 0;
  for (const x of X) { let s = 0; for (let a = 0; a < DIM; a++) for (let b = 0; b < DIM; b++) s += (x[a]! * x[b]! - S[a * DIM + b]!) ** 2; b2 += s; }
  b2 = Math.min(d2, b2 / n / n);
  const shrink = b2 / d2;
  const C = Float64Array.from(S, (s, k) => (1 - shrink) * s + (k % (DIM + 1) === 0 ? shrink * mu : 0));
  // Cholesky C = L Lᵀ; distance² = |L⁻¹ (v − mean)|².
  const L = new Float64Array(DIM * DIM);
  for (let i = 0; i < DIM; i++) for (let j = 0; j <= i; j++) {
    let s = C[i * DIM + j]!;
    for (let k = 0; k < j; k++) s -= L[i * DIM + k]! * L[j * DIM + k]!;
    L[i * DIM + j] = i === j ? Math.sqrt(s) : s / L[j * DIM + j]!;
  }
  const whiten = (d: ArrayLike<number>) => { const y = new Float64Array(DIM); for (let i = 0; i < DIM; i++) { let s = d[i]!; for (let k = 0; k < i; k++) s -= L[i * DIM + k]! * y[k]!; y[i] = s / L[i * DIM + i]!; } return y; };
  const wm = means.map(whiten);
  console.error(`mahalanobis ${count} classes: shrinkage ${shrink.toFixed(3)}`);
  return (v: Float32Array) => { const z = whiten(v); return Math.min(...wm.map((m) => { let q = 0; for (let k = 0; k < DIM; k++) q += (z[k]! - m[k]!) ** 2; return q; })); };
}
const knn = (k: number) => (v: Float32Array) => {
  const u = normalize(v);
  const sims = trainNorm.map((t) => dot(u, t)).sort((a, b) => b - a);
  return 1 - sims.slice(0, k).reduce((s, x) => s + x, 0) / k;
};
const md100 = mahalanobis(cls100, 100);
// Relative Mahalanobis (Ren et al. 2021): minus the distance to one Gaussian fitted to all the training crops.
const md0 = mahalanobis(cls100.map(() => 0), 1);
const scorers: Record<string, (v: Float32Array) => number> = {
  'cosine to nearest of 100 tenth centroids': cosCentroid(cosCentroids100),
  'cosine to nearest of 10 digit centroids': cosCentroid(cosCentroids10),
  'Mahalanobis (Ledoit-Wolf) to nearest of 10 digit means': mahalanobis(cls10, 10),
  'Mahalanobis (Ledoit-Wolf) to nearest of 100 tenth means': md100,
  'relative Mahalanobis, 100 tenth means': (v) => md100(v) - md0(v),
  'kNN cosine distance, k=10': knn(10),
};

// --- evaluation ---
function auroc(pos: number[], neg: number[]): number {
  let s = 0;
  for (const p of pos) for (const q of neg) s += p > q ? 1 : p === q ? 0.5 : 0;
  return s / Math.max(1, pos.length * neg.length);
}
const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!; };
const r4 = (x: number) => Math.round(x * 10000) / 10000;
const val = idx('val');
const held = idx('heldOut');
const hit = (i: number) => isTolerantHit(dataset.samples[i]!.value, pred[i]!.digit);
const accepted = val.filter((i) => pred[i]!.confidence >= REVIEW_THRESHOLD);
const wrongAcc = accepted.filter((i) => !hit(i));
const rightAcc = accepted.filter((i) => hit(i));
console.error(`val accepted at ${REVIEW_THRESHOLD}: ${accepted.length}, wrong (tolerant integer) ${wrongAcc.length}`);
/** The lowest confidence threshold above REVIEW_THRESHOLD that sends `caught` of the wrong accepted val reads to review. */
function byThreshold(caught: number) {
  if (caught === 0) return { threshold: REVIEW_THRESHOLD, rightLost: 0 };
  const t = wrongAcc.map((i) => pred[i]!.confidence).sort((a, b) => a - b)[caught - 1]! + 1e-9;
  return { threshold: r4(t), rightLost: rightAcc.filter((i) => pred[i]!.confidence < t).length };
}
const report: Record<string, unknown> = {
  command: `pnpm exec tsx --conditions=source packages/training/scripts/measure-ood.ts --per-meter ${perMeter}`,
  at: new Date().toISOString(),
  version,
  crops: { train: train.length, heldOut: held.length, heldOutMeters: heldOut, val: val.length, junk: junk.length },
  valAccepted: { threshold: REVIEW_THRESHOLD, n: accepted.length, wrong: wrongAcc.length },
  baselineAurocOfLowConfidence: r4(auroc(wrongAcc.map((i) => -pred[i]!.confidence), rightAcc.map((i) => -pred[i]!.confidence))),
  scores: {} as Record<string, unknown>,
};
for (const [name, score] of Object.entries(scorers)) {
  const s = emb.map(score);
  const js = junkEmb.map(score);
  const heldScores = held.map((i) => s[i]!);
  const heldAccepted = held.filter((i) => pred[i]!.confidence >= REVIEW_THRESHOLD);
  const cuts = [0.9, 0.95, 0.99].map((q) => {
    const cut = quantile(heldScores, q);
    const meters = [...new Set(val.map((i) => dataset.samples[i]!.meter))];
    return {
      heldOutPercentile: q * 100,
      cut: r4(cut),
      valWrongAcceptedCaught: wrongAcc.filter((i) => s[i]! > cut).length,
      valRightAcceptedLost: rightAcc.filter((i) => s[i]! > cut).length,
      valAllFlaggedShare: r4(val.filter((i) => s[i]! > cut).length / val.length),
      valFlaggedShareByMeter: Object.fromEntries(meters.map((m) => { const ms = val.filter((i) => dataset.samples[i]!.meter === m); return [m, r4(ms.filter((i) => s[i]! > cut).length / ms.length)]; })),
      // The same number of wrong reads caught by raising the confidence threshold instead: right reads lost.
      sameCaughtByThreshold: byThreshold(wrongAcc.filter((i) => s[i]! > cut).length),
      heldOutAcceptedLost: heldAccepted.filter((i) => s[i]! > cut).length + ` of ${heldAccepted.length}`,
      trainSampleFlaggedShare: r4(train.filter((i) => s[i]! > cut).length / train.length),
      junkFlaggedShare: r4(js.filter((x) => x > cut).length / js.length),
      junkAcceptedStillAccepted: junk.filter((_, k) => junkConf[k]! >= REVIEW_THRESHOLD && js[k]! <= cut).length + ` of ${junk.filter((_, k) => junkConf[k]! >= REVIEW_THRESHOLD).length}`,
    };
  });
  (report.scores as Record<string, unknown>)[name] = {
    aurocWrongVsRightAmongValAccepted: r4(auroc(wrongAcc.map((i) => s[i]!), rightAcc.map((i) => s[i]!))),
    aurocValVsHeldOut: r4(auroc(val.map((i) => s[i]!), heldScores)),
    median: { train: r4(quantile(train.map((i) => s[i]!), 0.5)), heldOut: r4(quantile(heldScores, 0.5)), valRight: r4(quantile(rightAcc.map((i) => s[i]!), 0.5)), valWrong: r4(quantile(wrongAcc.map((i) => s[i]!), 0.5)), junk: r4(quantile(js, 0.5)) },
    cuts,
  };
}
const text = JSON.stringify(report, null, 2);
if (values.out) await writeFile(values.out, text + '\n');
console.log(text);
