import { applyTemperature } from './calibration.js';
import type { DigitPrediction } from './decode.js';
import { standardizeInto } from './input.js';
import { HEADS, type HeadName } from './heads.js';
import { tf } from './tf.js';

/** [height, width, channels] of a model's input. */
export function modelInputShape(model: tf.LayersModel): { width: number; height: number; channels: 3 } {
  const [, height, width, channels] = model.inputs[0]!.shape;
  if (!height || !width || channels !== 3) throw new Error(`unexpected model input shape ${JSON.stringify(model.inputs[0]!.shape)}`);
  return { width, height, channels };
}

/** Outputs per crop of a model (100 for the tenths head). */
export const modelOutputWidth = (model: tf.LayersModel): number => model.outputs[0]!.shape[1]!;

/**
 * Model outputs (softmax for the class heads) for RGB uint8 crops of the model's input size, in batches, sharpened or
 * flattened by `temperature` (1 = as trained; see calibration.ts).
 */
export async function predictProbabilities(
  model: tf.LayersModel,
  crops: ArrayLike<number>[],
  batchSize = 256,
  temperature = 1,
): Promise<Float32Array> {
  const shape = modelInputShape(model);
  const values = shape.width * shape.height * shape.channels;
  const width = modelOutputWidth(model);
  const out = new Float32Array(crops.length * width);
  for (let start = 0; start < crops.length; start += batchSize) {
    const chunk = crops.slice(start, start + batchSize);
    const input = new Float32Array(chunk.length * values);
    chunk.forEach((rgb, i) => {
      if (rgb.length !== values) throw new Error(`crop has ${rgb.length} values, the model takes ${shape.width}x${shape.height}x3`);
      standardizeInto(rgb, input, i * values);
    });
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(input, [chunk.length, shape.height, shape.width, shape.channels]);
      return model.predict(x) as tf.Tensor;
    });
    out.set((await probs.data()) as Float32Array, start * width);
    probs.dispose();
  }
  if (temperature !== 1) applyTemperature(out, temperature);
  return out;
}

export async function predictDigits(
  model: tf.LayersModel,
  crops: ArrayLike<number>[],
  batchSize = 256,
  temperature = 1,
  head: HeadName = 'tenths100',
): Promise<DigitPrediction[]> {
  const spec = HEADS[head];
  if (modelOutputWidth(model) !== spec.units) throw new Error(`the model has ${modelOutputWidth(model)} outputs, head ${head} needs ${spec.units}`);
  const out = await predictProbabilities(model, crops, batchSize, temperature);
  return crops.map((_, i) => spec.decode(out, i * spec.units));
}
