import { combinePointerReadings, type DigitDataset, type DigitReport, HEADS, type Inference, inputValues, isPointerHit, isTenthHit, modelInputShape, type PointerReport, predictProbabilities, type RecognizerKind, reliability, type ScoredPointer, type Reliability, REVIEW_THRESHOLD, scoreDigits, scorePointers, type tf } from '@metertwin/recognizer';
import { testJunk } from './junk.js';

export type SplitReport = (DigitReport | PointerReport) & {
  /** Confidence against "within ±0.1" on this split. */
  reliability: Reliability;
  /**
   * Pointers only: the dials as recognize and `read` read them, the model checked by the pointer's
   * geometry (combinePointerReadings). The figures above are the model's alone.
   */
  reader?: PointerReport & { wrongConfident: number };
  /** Pointers only: crops off by more than 0.2 of a step at confidence ≥ the review threshold. */
  wrongConfident?: number;
};

export interface JunkReport {
  threshold: number;
  n: number;
  /** Share of junk crops whose confidence is below the threshold (so they go to review). */
  rejected: number;
  meanConfidence: number;
  byKind: Record<string, { n: number; rejected: number; meanConfidence: number }>;
  /** The share rejected at other thresholds a reader may use (earlier defaults, a meter's own), all crops and by kind. */
  byThreshold: Array<{ threshold: number; rejected: number; byKind: Record<string, number> }>;
}

/** Thresholds the junk rejection is reported at besides the review threshold: earlier and per-meter choices. */
const JUNK_THRESHOLDS = [0.6, 0.75, 0.9];

/** Score a model on some samples of a dataset: accuracy figures plus a reliability table. */
export async function scoreSplit(
  kind: RecognizerKind,
  model: tf.LayersModel,
  dataset: DigitDataset,
  indices: number[],
  inference: Inference = {},
): Promise<SplitReport> {
  const { decode, units } = HEADS[inference.head ?? 'tenths100'];
  const values = inputValues(dataset.input);
  const crops = indices.map((i) => dataset.pixels.subarray(i * values, (i + 1) * values));
  const probs = await predictProbabilities(model, crops, inference);
  const items = indices.map((i, k) => ({
    trueValue: dataset.samples[i]!.value,
    meter: dataset.samples[i]!.meter,
    prediction: decode(probs, k * units),
  }));
  const rel = reliability(
    items.map((i) => i.prediction.confidence),
    items.map((i) => isTenthHit(i.trueValue, i.prediction.value)),
  );
  if (kind === 'digits') return { ...scoreDigits(items), reliability: rel };
  const readerItems = items.map((item, k) => ({
    ...item,
    prediction: combinePointerReadings(item.prediction, { width: dataset.input.width, height: dataset.input.height, channels: 3, data: Buffer.from(crops[k]!).toString('base64') }),
  }));
  // What would be accepted wrong: off by more than 0.2 of a step at the review threshold.
  const wrongConfident = (scored: ScoredPointer[]) =>
    scored.filter((i) => i.prediction.confidence >= REVIEW_THRESHOLD && !isPointerHit(i.trueValue, i.prediction.value)).length;
  return {
    ...scorePointers(items),
    reliability: rel,
    wrongConfident: wrongConfident(items),
    reader: { ...scorePointers(readerItems), wrongConfident: wrongConfident(readerItems) },
  };
}

/** Rejection rate of the generated junk test set (junk.ts) at the review threshold. */
export async function scoreJunk(model: tf.LayersModel, inference: Inference = {}, threshold = REVIEW_THRESHOLD): Promise<JunkReport> {
  const { decode, units } = HEADS[inference.head ?? 'tenths100'];
  const junk = await testJunk(modelInputShape(model));
  const probs = await predictProbabilities(
    model,
    junk.map((j) => j.rgb),
    inference,
  );
  const conf = junk.map((_, i) => decode(probs, i * units).confidence);
  const summarise = (ks: number[]) => {
    const r4 = (x: number) => Math.round(x * 10000) / 10000;
    return {
      n: ks.length,
      rejected: r4(ks.filter((k) => conf[k]! < threshold).length / Math.max(1, ks.length)),
      meanConfidence: r4(ks.reduce((s, k) => s + conf[k]!, 0) / Math.max(1, ks.length)),
    };
  };
  const kinds = [...new Set(junk.map((j) => j.kind))];
  const ofKind = (kind: string) => junk.flatMap((j, k) => (j.kind === kind ? [k] : []));
  const byKind: JunkReport['byKind'] = {};
  for (const kind of kinds) byKind[kind] = summarise(ofKind(kind));
  const rejectedAt = (t: number, ks: number[]) => Math.round((ks.filter((k) => conf[k]! < t).length / Math.max(1, ks.length)) * 10000) / 10000;
  const byThreshold = JUNK_THRESHOLDS.map((t) => ({
    threshold: t,
    rejected: rejectedAt(t, junk.map((_, k) => k)),
    byKind: Object.fromEntries(kinds.map((kind) => [kind, rejectedAt(t, ofKind(kind))])),
  }));
  return { threshold, ...summarise(junk.map((_, k) => k)), byKind, byThreshold };
}
