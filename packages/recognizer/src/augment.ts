import sharp from 'sharp';
import { DIGIT_INPUT, type InputShape } from './input.js';
import { type Rng, uniform } from './random.js';

export interface AugmentOptions {
  /** Size of the crop (default DIGIT_INPUT). */
  input?: InputShape;
  /** Digit-window effects: frame bars across top/bottom and a digit cut high or low. Default true. */
  window?: boolean;
  /**
   * Rotate about the centre by up to this many steps of the dial (1 step = 36°), shifting the
   * label by the same amount (pointers: the pointer turns, so does the value). Default 0.
   */
  maxRotationSteps?: number;
  /** Tilt by up to this many degrees without changing the label (a camera not quite level). Default 0. */
  maxTiltDegrees?: number;
}

/**
 * Training augmentation of one RGB crop (uint8 in, float 0–255 out), aimed at what differs
 * between meters (see the recognition baseline note): framing (shift, scale, a digit cut high or
 * low), window-frame bars, polarity (white on black vs black on white), colour (red drums,
 * greyscale IR images, channel order), gain, gamma and noise. Also blur, a small tilt and
 * glare (JPEG artefacts come from degraded copies of the crops, see jpegCopies). Per-image
 * standardization follows.
 * Returns the change of the label in steps (non-zero only with rotation).
 */
export function augmentInto(
  src: Uint8Array,
  srcOffset: number,
  out: Float32Array,
  rng: Rng,
  options: AugmentOptions = {},
): number {
  const { width: W, height: H } = options.input ?? DIGIT_INPUT;
  const window = options.window ?? true;
  const maxRot = options.maxRotationSteps ?? 0;
  const maxTilt = options.maxTiltDegrees ?? 0;
  // Geometry: output pixel p samples the source at centre + R(-angle)(p - centre) / scale - shift.
  const scaleX = uniform(rng, 0.9, 1.12);
  const scaleY = uniform(rng, 0.9, 1.12);
  const dx = uniform(rng, -2, 2);
  const dy = window && rng() < 0.3 ? uniform(rng, -3.5, 3.5) : uniform(rng, -1, 1);
  const steps = maxRot > 0 && rng() < 0.7 ? uniform(rng, -maxRot, maxRot) : 0;
  const tilt = maxTilt > 0 && rng() < 0.5 ? uniform(rng, -maxTilt, maxTilt) : 0;
  // Image y points down, so a clockwise turn of the pointer is a positive angle here.
  const angle = (steps * Math.PI) / 5 + (tilt * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const rx = x - cx;
      const ry = y - cy;
      const ux = cos * rx + sin * ry;
      const uy = -sin * rx + cos * ry;
      const sx = Math.min(W - 1, Math.max(0, cx + ux / scaleX - dx));
      const sy = Math.min(H - 1, Math.max(0, cy + uy / scaleY - dy));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(W - 1, x0 + 1);
      const y1 = Math.min(H - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const p00 = src[srcOffset + (y0 * W + x0) * 3 + c]!;
        const p01 = src[srcOffset + (y0 * W + x1) * 3 + c]!;
        const p10 = src[srcOffset + (y1 * W + x0) * 3 + c]!;
        const p11 = src[srcOffset + (y1 * W + x1) * 3 + c]!;
        out[(y * W + x) * 3 + c] = (p00 * (1 - fx) + p01 * fx) * (1 - fy) + (p10 * (1 - fx) + p11 * fx) * fy;
      }
    }
  }

  // Window-frame bar across the top or bottom (dark or light), sometimes.
  if (window && rng() < 0.15) {
    const rows = 1 + Math.floor(rng() * 3);
    const top = rng() < 0.5;
    const level = rng() < 0.7 ? uniform(rng, 0, 50) : uniform(rng, 180, 255);
    for (let r = 0; r < rows; r++) {
      const y = top ? r : H - 1 - r;
      for (let i = y * W * 3; i < (y + 1) * W * 3; i++) out[i] = level;
    }
  }

  // Colour: channel shuffle, greyscale, per-channel gain.
  const order = [0, 1, 2];
  if (rng() < 0.25) {
    for (let i = 2; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  const grey = rng() < 0.2;
  const gain = [uniform(rng, 0.75, 1.25), uniform(rng, 0.75, 1.25), uniform(rng, 0.75, 1.25)];
  const invert = rng() < 0.3;
  const gamma = Math.exp(uniform(rng, -0.5, 0.5));
  const contrast = uniform(rng, 0.6, 1.3);
  const brightness = uniform(rng, -30, 30);
  const noise = rng() < 0.5 ? uniform(rng, 0, 8) : 0;
  const px = [0, 0, 0];
  for (let p = 0; p < W * H; p++) {
    const o = p * 3;
    px[0] = out[o + order[0]!]! * gain[0]!;
    px[1] = out[o + order[1]!]! * gain[1]!;
    px[2] = out[o + order[2]!]! * gain[2]!;
    if (grey) px[0] = px[1] = px[2] = 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2];
    for (let c = 0; c < 3; c++) {
      let v = Math.min(255, Math.max(0, px[c]!)) / 255;
      if (invert) v = 1 - v;
      v = 255 * v ** gamma;
      v = (v - 128) * contrast + 128 + brightness;
      if (noise > 0) v += noise * (rng() + rng() + rng() - 1.5) * 2;
      out[o + c] = Math.min(255, Math.max(0, v));
    }
  }

  // Focus and motion: a small Gaussian blur.
  if (rng() < 0.25) blurInPlace(out, W, H, uniform(rng, 0.35, 1.1));
  // Glare on the glass: a bright soft spot.
  if (rng() < 0.1) {
    const gx = uniform(rng, 0, W);
    const gy = uniform(rng, 0, H);
    const r = uniform(rng, 0.15, 0.5) * W;
    const strength = uniform(rng, 60, 200);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const add = strength * Math.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * r * r));
        for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = Math.min(255, out[(y * W + x) * 3 + c]! + add);
      }
  }
  return steps;
}

/** Separable Gaussian blur of an RGB float image, edges clamped. */
function blurInPlace(img: Float32Array, W: number, H: number, sigma: number): void {
  const radius = Math.ceil(2 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
  );
  const sum = kernel.reduce((a, b) => a + b, 0);
  const tmp = new Float32Array(img.length);
  const pass = (from: Float32Array, to: Float32Array, horizontal: boolean) => {
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++) {
          let v = 0;
          for (let k = -radius; k <= radius; k++) {
            const xx = horizontal ? Math.min(W - 1, Math.max(0, x + k)) : x;
            const yy = horizontal ? y : Math.min(H - 1, Math.max(0, y + k));
            v += kernel[k + radius]! * from[(yy * W + xx) * 3 + c]!;
          }
          to[(y * W + x) * 3 + c] = v / sum;
        }
  };
  pass(img, tmp, true);
  pass(tmp, img, false);
}

/**
 * JPEG-degraded copies of crops (quality 15–60, as a cheap camera at low resolution), made once
 * before training; a share of training samples is taken from them instead of the clean crop.
 */
export async function jpegCopies(pixels: Uint8Array, input: InputShape, rng: Rng): Promise<Uint8Array> {
  const values = input.width * input.height * 3;
  const count = pixels.length / values;
  const out = new Uint8Array(pixels.length);
  const quality = Array.from({ length: count }, () => Math.round(uniform(rng, 15, 60)));
  const batch = 64;
  for (let start = 0; start < count; start += batch) {
    await Promise.all(
      quality.slice(start, start + batch).map(async (q, k) => {
        const i = start + k;
        const raw = { width: input.width, height: input.height, channels: 3 as const };
        const jpeg = await sharp(pixels.subarray(i * values, (i + 1) * values), { raw })
          .jpeg({ quality: q })
          .toBuffer();
        const { data } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        out.set(data.subarray(0, values), i * values);
      }),
    );
  }
  return out;
}
