import { decodeProbabilities, type DigitPrediction } from './decode.js';
import { DIGIT_INPUT, standardizeInto } from './input.js';
import { NUM_CLASSES } from './model.js';
import { tf } from './tf.js';

const VALUES = DIGIT_INPUT.width * DIGIT_INPUT.height * DIGIT_INPUT.channels;

/** Softmax outputs for 20x32 RGB uint8 crops (each VALUES long), in batches. */
export async function predictProbabilities(
  model: tf.LayersModel,
  crops: ArrayLike<number>[],
  batchSize = 256,
): Promise<Float32Array> {
  const out = new Float32Array(crops.length * NUM_CLASSES);
  for (let start = 0; start < crops.length; start += batchSize) {
    const chunk = crops.slice(start, start + batchSize);
    const input = new Float32Array(chunk.length * VALUES);
    chunk.forEach((rgb, i) => standardizeInto(rgb, input, i * VALUES));
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(input, [chunk.length, DIGIT_INPUT.height, DIGIT_INPUT.width, DIGIT_INPUT.channels]);
      return model.predict(x) as tf.Tensor;
    });
    out.set((await probs.data()) as Float32Array, start * NUM_CLASSES);
    probs.dispose();
  }
  return out;
}

export async function predictDigits(model: tf.LayersModel, crops: ArrayLike<number>[], batchSize = 256): Promise<DigitPrediction[]> {
  const probs = await predictProbabilities(model, crops, batchSize);
  return crops.map((_, i) => decodeProbabilities(probs, i * NUM_CLASSES));
}
