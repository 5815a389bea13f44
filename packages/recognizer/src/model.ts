import { DIGIT_INPUT, type InputShape } from './input.js';
import { tf } from './tf.js';

/** Classes of the tenths head: 0.0, 0.1, … 9.9. */
export const NUM_CLASSES = 100;
/** Class marker of a junk training crop (uniform target), never a model output. */
export const JUNK_CLASS = -1;

/**
 * A small CNN for RGB crops (digits 32x20, pointers 32x32), by default with the 100-class tenths head: three
 * conv blocks (32/64/96 filters, BN, ReLU, 2x2 max-pool) + dense 128 + dropout 0.3 + softmax 100 (or `output`).
 * About 187k parameters (0.37 MB stored as float16) for digits, 285k for pointers.
 */
export function buildDigitModel(
  seed = 1,
  input: InputShape = DIGIT_INPUT,
  name = 'digits',
  /** The output layer (heads.ts); default the 100-class tenths softmax. */
  output: { units: number; activation: 'softmax' | 'linear' } = { units: NUM_CLASSES, activation: 'softmax' },
): tf.LayersModel {
  const init = (k: number) => tf.initializers.heNormal({ seed: seed * 100 + k });
  const block = (filters: number, k: number, first = false): tf.layers.Layer[] => [
    tf.layers.conv2d({
      ...(first ? { inputShape: [input.height, input.width, input.channels] } : {}),
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(k),
    }),
    tf.layers.batchNormalization(),
    tf.layers.reLU(),
    tf.layers.maxPooling2d({ poolSize: 2 }),
  ];
  return tf.sequential({
    name,
    layers: [
      ...block(32, 1, true),
      ...block(64, 2),
      ...block(96, 3),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init(4) }),
      tf.layers.dropout({ rate: 0.3, seed }),
      tf.layers.dense({ ...output, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 5 }) }),
    ],
  });
}

/**
 * Soft training targets for digits: 0.8 on the labeled tenth, 0.1 on each circular neighbour (a
 * drum between two tenths is legitimately either; 9.9 and 0.0 are neighbours). With `sigma`
 * (pointers): a circular Gaussian of that many tenths instead, which gives every near-miss a
 * gradient towards the true angle (with 100 angle classes the narrow target learned very slowly).
 */
export function softTargets(classes: ArrayLike<number>, sigma?: number): Float32Array {
  const out = new Float32Array(classes.length * NUM_CLASSES);
  const kernel = sigma ? gaussianKernel(sigma) : [0.1, 0.8, 0.1];
  const half = (kernel.length - 1) / 2;
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i]!;
    // Not a digit (a generated junk crop): uniform, so such inputs learn a low confidence.
    if (c === JUNK_CLASS) {
      out.fill(1 / NUM_CLASSES, i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
      continue;
    }
    kernel.forEach((w, k) => {
      const j = i * NUM_CLASSES + ((c + k - half + NUM_CLASSES) % NUM_CLASSES);
      out[j] = out[j]! + w;
    });
  }
  return out;
}

function gaussianKernel(sigma: number): number[] {
  const half = Math.ceil(3 * sigma);
  const w = Array.from({ length: 2 * half + 1 }, (_, k) => Math.exp(-((k - half) ** 2) / (2 * sigma * sigma)));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}
