import { applyTemperature } from './calibration.js';
import type { DigitPrediction } from './decode.js';
import { standardizeInto } from './input.js';
import { HEADS, type HeadName } from './heads.js';
import { tf } from './tf.js';

/** [height, width, channels] of a model's input. */
export function modelInputShape(model: tf.LayersModel): { width: number; height: number; channels: 3 } {
  const [, height, width, channels] = model.inputs[0]!.shape;
  if (!height || !width || channels !== 3)
    throw new Error(`unexpected model input shape ${JSON.stringify(model.inputs[0]!.shape)}`);
  return { width, height, channels };
}

/** Outputs per crop of a model (100 for the tenths head). */
export const modelOutputWidth = (model: tf.LayersModel): number => model.outputs[0]!.shape[1]!;

/** How a model's outputs become predictions: saved beside the model in calibration.json. */
export interface Inference {
  /** Temperature applied to the (averaged) softmax; 1 = as trained (see calibration.ts). */
  temperature?: number;
  /** Output head; default tenths100. */
  head?: HeadName;
  /**
   * Horizontal shifts (pixels) of the crop whose outputs are averaged (test-time augmentation); the
   * default [0] reads the crop once. Where a drum sits sideways in its box varies between meters.
   */
  shifts?: readonly number[];
  batchSize?: number;
  /**
   * Cascade (issue 17): each crop is first read once, unshifted (every member, the temperature); a crop
   * whose confidence there is at least `quickAccept` keeps that read, the others are read again over
   * all `shifts`. Undefined reads every crop over all shifts.
   */
  quickAccept?: number;
}

/** An RGB crop moved sideways by `dx` whole pixels, the edge column repeated. */
export function shiftCrop(rgb: ArrayLike<number>, width: number, dx: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  const height = rgb.length / (width * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - dx));
      for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = rgb[(y * width + sx) * 3 + c]!;
    }
  return out;
}

/**
 * Model outputs (softmax for the class heads) for RGB uint8 crops of the model's input size, in
 * batches, averaged over `shifts`, then sharpened or flattened by `temperature`.
 */
export async function predictProbabilities(
  model: tf.LayersModel,
  crops: ArrayLike<number>[],
  inference: Inference = {},
): Promise<Float32Array> {
  const { batchSize = 256, temperature = 1, shifts = [0] } = inference;
  const shape = modelInputShape(model);
  const values = shape.width * shape.height * shape.channels;
  const width = modelOutputWidth(model);
  const out = new Float32Array(crops.length * width);
  // Every shifted view of a chunk goes through the model in one batch (rows: view-major).
  const step = Math.max(1, Math.floor(batchSize / shifts.length));
  for (let start = 0; start < crops.length; start += step) {
    const chunk = crops.slice(start, start + step);
    const input = new Float32Array(shifts.length * chunk.length * values);
    chunk.forEach((rgb, i) => {
      if (rgb.length !== values)
        throw new Error(`crop has ${rgb.length} values, the model takes ${shape.width}x${shape.height}x3`);
      shifts.forEach((dx, v) =>
        standardizeInto(dx === 0 ? rgb : shiftCrop(rgb, shape.width, dx), input, (v * chunk.length + i) * values),
      );
    });
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(input, [shifts.length * chunk.length, shape.height, shape.width, shape.channels]);
      return model.predict(x) as tf.Tensor;
    });
    const data = (await probs.data()) as Float32Array;
    probs.dispose();
    const rows = chunk.length * width;
    for (let v = 0; v < shifts.length; v++)
      for (let k = 0; k < rows; k++) out[start * width + k]! += data[v * rows + k]! / shifts.length;
  }
  if (temperature !== 1) applyTemperature(out, temperature);
  return out;
}

export async function predictDigits(
  model: tf.LayersModel,
  crops: ArrayLike<number>[],
  inference: Inference = {},
): Promise<DigitPrediction[]> {
  const head = inference.head ?? 'tenths100';
  const spec = HEADS[head];
  if (modelOutputWidth(model) !== spec.units)
    throw new Error(`the model has ${modelOutputWidth(model)} outputs, head ${head} needs ${spec.units}`);
  const { quickAccept, ...full } = inference;
  const shifts = full.shifts ?? [0];
  if (quickAccept === undefined || !shifts.includes(0) || shifts.length === 1) {
    const out = await predictProbabilities(model, crops, full);
    return crops.map((_, i) => spec.decode(out, i * spec.units));
  }
  // The unshifted view first, for every crop. Measured on the val meters (scripts/eval-cascade.ts): one
  // member alone, even far above the threshold, accepted crops the full read sent to review (some wrong);
  // the members agreeing on the unshifted crop did not.
  const temperature = full.temperature ?? 1;
  const unshifted = await predictProbabilities(model, crops, { ...full, shifts: [0], temperature: 1 });
  const quick = Float32Array.from(unshifted);
  if (temperature !== 1) applyTemperature(quick, temperature);
  const predictions = crops.map((_, i) => spec.decode(quick, i * spec.units));
  const unsure = predictions.flatMap((p, i) => (p.confidence < quickAccept ? [i] : []));
  if (unsure.length === 0) return predictions;
  // The unsure crops get the other views; averaged with the unshifted one they are the full read exactly.
  const others = shifts.filter((dx) => dx !== 0);
  const rest = await predictProbabilities(model, unsure.map((i) => crops[i]!), { ...full, shifts: others, temperature: 1 });
  const out = new Float32Array(rest.length);
  unsure.forEach((i, k) => {
    for (let c = 0; c < spec.units; c++)
      out[k * spec.units + c] = (unshifted[i * spec.units + c]! + others.length * rest[k * spec.units + c]!) / shifts.length;
  });
  if (temperature !== 1) applyTemperature(out, temperature);
  unsure.forEach((i, k) => (predictions[i] = spec.decode(out, k * spec.units)));
  return predictions;
}
