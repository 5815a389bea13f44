import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { tf } from './tf.js';

/**
 * Gradient kernels the wasm backend lacks (TensorFlow.js 4.22 has no `Conv2DBackpropFilter` for
 * wasm) or has only as slow scalar loops. Each kernel is built from existing fast ops: an im2col
 * made of strided slices + concat, then one matMul per gradient (XNNPACK underneath).
 *
 * Ops inside a kernel run with the tape off (kernel depth > 0), so they add nothing to gradients.
 */

type Conv2DAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | 'explicit';
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  explicitPaddings?: number[];
};

function convInfo(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: Conv2DAttrs,
) {
  if (attrs.dataFormat === 'NCHW') throw new Error('grad-kernels: only NHWC is supported');
  const pad = attrs.pad === 'explicit' ? (attrs.explicitPaddings as unknown as 'valid') : attrs.pad;
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** One-hot depthwise filter [kh, kw, c, kh*kw]: channel c, tap (i, j) -> output c*kh*kw + i*kw + j. */
function patchFilter(kh: number, kw: number, c: number): tf.Tensor4D {
  const k = kh * kw;
  const values = new Float32Array(k * c * k);
  for (let t = 0; t < k; t++) for (let ch = 0; ch < c; ch++) values[(t * c + ch) * k + t] = 1;
  return tf.tensor4d(values, [kh, kw, c, k]);
}

/**
 * im2col: patches of x for every output position, [n*outH*outW, c*kh*kw], ordered (c, i, j).
 * A depthwise convolution with a one-hot filter does it in one fast op (strided slices and
 * transposes are slow scalar loops on wasm).
 */
function im2col(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor2D {
  const { padInfo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth } = info;
  const [n, , , c] = x.shape;
  const padded = tf.pad(x, [
    [0, 0],
    [padInfo.top, padInfo.bottom],
    [padInfo.left, padInfo.right],
    [0, 0],
  ]);
  const cols = tf.depthwiseConv2d(padded, patchFilter(kh, kw, c), [sh, sw], 'valid');
  return tf.reshape(cols, [n * outHeight * outWidth, c * kh * kw]);
}

/** dW = im2col(x)^T · dy — one matMul. */
export function conv2DBackpropFilterImpl(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  attrs: Conv2DAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = convInfo(x.shape, filterShape, attrs);
    const [kh, kw, c, cout] = filterShape;
    const cols = im2col(x, info);
    const dy2 = tf.reshape(dy, [-1, cout]);
    // dy^T · cols with an explicit transpose is 3-8x faster on wasm than matMul(cols, dy, true).
    const dwT = tf.matMul(tf.transpose(dy2), cols); // [cout, c*kh*kw]
    return tf.reshape(tf.transpose(tf.reshape(dwT, [cout, c, kh * kw]), [2, 1, 0]), filterShape);
  });
}

/**
 * dx for a stride-1 convolution: a forward convolution of dy with the filter rotated by 180° and
 * its in/out channels swapped, padded so the output has x's size. Other strides return undefined
 * (the backend's own kernel is used).
 */
export function conv2DBackpropInputImpl(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: Conv2DAttrs,
): tf.Tensor4D | undefined {
  const info = convInfo(inputShape, filter.shape, attrs);
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return undefined;
  const { padInfo, filterHeight: kh, filterWidth: kw } = info;
  return tf.tidy(() => {
    const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const top = kh - 1 - padInfo.top;
    const left = kw - 1 - padInfo.left;
    const bottom = inputShape[1] + kh - 1 - dy.shape[1] - top;
    const right = inputShape[2] + kw - 1 - dy.shape[2] - left;
    if (top < 0 || left < 0 || bottom < 0 || right < 0) {
      // Padding larger than the kernel: crop after a full convolution.
      const full = tf.conv2d(
        tf.pad(dy, [[0, 0], [kh - 1, kh - 1], [kw - 1, kw - 1], [0, 0]]),
        rotated,
        1,
        'valid',
      );
      return tf.slice(full, [0, padInfo.top, padInfo.left, 0], inputShape);
    }
    const padded = tf.pad(dy, [[0, 0], [top, bottom], [left, right], [0, 0]]);
    return tf.conv2d(padded, rotated, 1, 'valid');
  });
}

/**
 * MaxPoolGrad for non-overlapping windows (pool == stride, no padding — the shapes this package
 * uses): dy goes to the position of each window that equals the window's max. Ties (equal values
 * in one window) share dy evenly — a valid subgradient, where the cpu kernel gives it all to the
 * first; after a ReLU the common tie is 0, whose gradient the ReLU zeroes anyway. Built from
 * nearest-neighbour upsampling (slices and transposes are slow on wasm). Other shapes return
 * undefined (the backend's kernel is used).
 */
export function maxPoolGradImpl(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  y: tf.Tensor4D,
  attrs: { filterSize: [number, number] | number; strides: [number, number] | number; pad: unknown },
): tf.Tensor4D | undefined {
  const [fh, fw] = typeof attrs.filterSize === 'number' ? [attrs.filterSize, attrs.filterSize] : attrs.filterSize;
  const [sh, sw] = typeof attrs.strides === 'number' ? [attrs.strides, attrs.strides] : attrs.strides;
  if (fh !== sh || fw !== sw || (attrs.pad !== 'valid' && attrs.pad !== 0)) return undefined;
  const [n, h, w, c] = x.shape;
  const oh = Math.floor(h / fh);
  const ow = Math.floor(w / fw);
  if (y.shape[1] !== oh || y.shape[2] !== ow || oh === 0 || ow === 0) return undefined;
  return tf.tidy(() => {
    const size: [number, number] = [oh * fh, ow * fw];
    const xc = size[0] === h && size[1] === w ? x : tf.slice(x, [0, 0, 0, 0], [n, size[0], size[1], c]);
    const mask = tf.cast(tf.equal(xc, tf.image.resizeNearestNeighbor(y, size)), 'float32');
    const ties = tf.mul(tf.avgPool(mask as tf.Tensor4D, [fh, fw], [fh, fw], 'valid'), fh * fw);
    const share = tf.image.resizeNearestNeighbor(tf.div(dy, tf.maximum(ties, 1)) as tf.Tensor4D, size);
    const grad = tf.mul(mask, share) as tf.Tensor4D;
    if (size[0] === h && size[1] === w) return grad;
    return tf.pad(grad, [[0, 0], [0, h - size[0]], [0, w - size[1]], [0, 0]]);
  });
}

/**
 * The FusedBatchNorm gradient of tfjs-core, minus its `tile` of 1/sqrt(variance) to x's shape
 * (broadcasting does the same; Tile is a slow scalar loop on wasm and took a quarter of each
 * training step). Mathematically identical, registered for every backend.
 */
export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const g = dy as tf.Tensor;
    const scaleValue = scale ?? tf.scalar(1);
    const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor) => tf.reshape(mean.rank === 1 ? tf.sum(t, reductionAxes) : t, mean.shape);
    const xMinusMean = tf.sub(x, mean);
    const dyTimesScale = tf.mul(g, scaleValue);
    const rstd = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const minusHalfRCube = tf.mul(tf.mul(tf.mul(rstd, rstd), rstd), tf.scalar(-0.5));
    return {
      x: () => tf.reshape(tf.mul(tf.mul(g, rstd), scaleValue), x.shape),
      mean: () => reduce(tf.mul(tf.mul(rstd, tf.scalar(-1)), dyTimesScale)),
      variance: () => reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)),
      scale: () => reduce(tf.mul(g, tf.mul(xMinusMean, rstd))),
      offset: () => reduce(g),
    };
  },
};

type KernelArgs = { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap };

function asTensor<T extends tf.Tensor>(info: TensorInfo | undefined): T {
  if (!info) throw new Error('grad-kernels: missing input');
  if (info instanceof tf.Tensor) return info as T;
  // Wrap the backend tensor in a Tensor that shares the data (engine keeps the ref count).
  return tf.engine().makeTensorFromTensorInfo(info) as T;
}

/**
 * Register the kernels on `backendName` (default: 'wasm'). Fast paths replace the backend's own
 * kernels; where a fast path does not apply, the previously registered kernel (if any) is called.
 */
export function registerGradientKernels(backendName = 'wasm'): void {
  const previous = (name: string) => tf.getKernel(name, backendName);
  const prevInput = previous('Conv2DBackpropInput');
  const prevPool = previous('MaxPoolGrad');
  const configs: KernelConfig[] = [
    {
      kernelName: 'Conv2DBackpropFilter',
      backendName,
      kernelFunc: ({ inputs, attrs }: KernelArgs) => {
        const a = attrs as unknown as Conv2DAttrs & { filterShape: [number, number, number, number] };
        return conv2DBackpropFilterImpl(asTensor(inputs.x), asTensor(inputs.dy), a.filterShape, a);
      },
    },
    {
      kernelName: 'Conv2DBackpropInput',
      backendName,
      kernelFunc: (args: KernelArgs) => {
        const a = args.attrs as unknown as Conv2DAttrs & { inputShape: [number, number, number, number] };
        const out = conv2DBackpropInputImpl(a.inputShape, asTensor(args.inputs.dy), asTensor(args.inputs.filter), a);
        if (out) return out;
        if (!prevInput) throw new Error('Conv2DBackpropInput: no fallback kernel for strides > 1');
        return prevInput.kernelFunc(args as never) as TensorInfo;
      },
    },
    {
      kernelName: 'MaxPoolGrad',
      backendName,
      kernelFunc: (args: KernelArgs) => {
        const a = args.attrs as unknown as Parameters<typeof maxPoolGradImpl>[3];
        const out = maxPoolGradImpl(asTensor(args.inputs.dy), asTensor(args.inputs.input), asTensor(args.inputs.output), a);
        if (out) return out;
        if (!prevPool) throw new Error('MaxPoolGrad: no fallback kernel');
        return prevPool.kernelFunc(args as never) as TensorInfo;
      },
    },
  ];
  tf.registerGradient(fusedBatchNormGradConfig);
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, backendName)) tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel(config);
  }
}
