import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/backend.js';
import { tf } from '../src/tf.js';

/**
 * The gradient kernels registered for wasm (grad-kernels.ts) against the pure-JS cpu backend's own
 * kernels, on small random tensors with fixed seeds. Both backends run the same graph.
 */

type Grads = Float32Array[];

async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Grads> {
  if (backend === 'cpu') await initBackend('cpu');
  else await initBackend();
  expect(tf.getBackend()).toBe(backend);
  const out = tf.tidy(f);
  const data = await Promise.all(out.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(out);
  return data;
}

function maxRelDiff(a: Grads, b: Grads): number {
  let worst = 0;
  a.forEach((x, k) => {
    const y = b[k]!;
    expect(y.length).toBe(x.length);
    let scale = 1;
    for (const v of x) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / scale);
  });
  return worst;
}

async function compare(f: () => tf.Tensor[]): Promise<number> {
  const cpu = await on('cpu', f);
  const wasm = await on('wasm', f);
  // Guard against comparing zeros with zeros.
  expect(cpu.some((g) => g.some((v) => Math.abs(v) > 1e-3))).toBe(true);
  return maxRelDiff(cpu, wasm);
}

const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

describe('wasm gradient kernels match the cpu backend', () => {
  beforeAll(async () => {
    await initBackend();
  });
  afterAll(async () => {
    await initBackend();
  });

  const convCases: Array<{ name: string; x: number[]; w: number[]; stride: number; pad: 'same' | 'valid' }> = [
    { name: '3x3 same stride 1', x: [2, 9, 7, 3], w: [3, 3, 3, 5], stride: 1, pad: 'same' },
    { name: '3x3 valid stride 1', x: [2, 9, 7, 4], w: [3, 3, 4, 2], stride: 1, pad: 'valid' },
    { name: '3x3 same stride 2', x: [3, 9, 8, 2], w: [3, 3, 2, 4], stride: 2, pad: 'same' },
    { name: '5x3 same stride 1', x: [1, 8, 6, 3], w: [5, 3, 3, 3], stride: 1, pad: 'same' },
  ];
  for (const c of convCases) {
    it(`Conv2DBackpropFilter and Conv2DBackpropInput, ${c.name}`, async () => {
      const diff = await compare(() => {
        const x = rand(c.x, 1) as tf.Tensor4D;
        const w = rand(c.w, 2) as tf.Tensor4D;
        const r = rand(tf.conv2d(x, w, c.stride, c.pad).shape, 3);
        const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad), r)),
        );
        return g([x, w]);
      });
      expect(diff).toBeLessThan(1e-4);
    });
  }

  for (const shape of [
    [2, 8, 6, 3],
    [2, 7, 5, 4],
  ]) {
    it(`MaxPoolGrad 2x2 stride 2 on ${shape.join('x')}`, async () => {
      const diff = await compare(() => {
        const x = rand(shape, 4) as tf.Tensor4D;
        const r = rand(tf.maxPool(x, 2, 2, 'valid').shape, 5);
        return [tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, 2, 2, 'valid'), r)))(x)];
      });
      expect(diff).toBeLessThan(1e-4);
    });
  }

  it('FusedBatchNorm gradient (replaced for every backend) against autodiff of elementary ops', async () => {
    const inputs = () => [rand([4, 5, 3, 6], 6), rand([6], 7), rand([6], 8), rand([4, 5, 3, 6], 9)] as const;
    const reference = await on('cpu', () => {
      const [x, scale, offset, r] = inputs();
      return tf.grads((xx: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
        const { mean, variance } = tf.moments(xx, [0, 1, 2]);
        const y = tf.add(tf.mul(tf.mul(tf.sub(xx, mean), tf.rsqrt(tf.add(variance, 1e-3))), s), o);
        return tf.sum(tf.mul(y, r));
      })([x, scale, offset]);
    });
    const fused = await on('wasm', () => {
      const [x, scale, offset, r] = inputs();
      return tf.grads((xx: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
        const { mean, variance } = tf.moments(xx, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(xx, mean, variance, o, s, 1e-3), r));
      })([x, scale, offset]);
    });
    expect(reference[0]!.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    expect(maxRelDiff(reference, fused)).toBeLessThan(1e-4);
  });

  it('a whole conv/BN/ReLU/pool/dense model: every weight gradient', async () => {
    const diff = await compare(() => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [12, 8, 3], filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
          tf.layers.batchNormalization(),
          tf.layers.reLU(),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
          tf.layers.reLU(),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        ],
      });
      const x = rand([3, 12, 8, 3], 10);
      const labels = tf.oneHot(tf.tensor1d([0, 3, 4], 'int32'), 5);
      const { grads } = tf.variableGrads(() =>
        tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor),
      );
      const out = model.trainableWeights.map((w) => grads[w.originalName]!);
      model.dispose();
      return out;
    });
    expect(diff).toBeLessThan(1e-4);
  });
});
