import { readFile } from 'node:fs/promises';
import type { CropImage } from '@metertwin/contracts';
import sharp from 'sharp';
import { initBackend } from './backend.js';
import { decodeImage } from './image.js';
import { tf } from './tf.js';

/** Size of a model's input image (always RGB). */
export interface InputShape {
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
}

/** The digit model's input: the vision code crops every drum to this size, RGB. */
export const DIGIT_INPUT = { width: 20, height: 32, channels: 3 } as const;
/** The pointer model's input: square dial crops. */
export const POINTER_INPUT = { width: 32, height: 32, channels: 3 } as const;

export const inputValues = (shape: InputShape): number => shape.width * shape.height * shape.channels;

/**
 * Resize raw interleaved pixels (1, 3 or 4 channels) to `shape` (default DIGIT_INPUT), RGB uint8 (width*height*3).
 * Uses sharp's default (Lanczos) resampler with fit 'fill', same path for files and crops, so
 * training and inference see identical pixels.
 */
export async function resizeRaw(
  data: Uint8Array,
  width: number,
  height: number,
  channels: number,
  shape: InputShape = DIGIT_INPUT,
): Promise<Uint8Array> {
  if (channels === 3 && width === shape.width && height === shape.height) {
    return Uint8Array.from(data.subarray(0, inputValues(shape)));
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`unsupported channel count ${channels}`);
  const { data: out } = await sharp(data, { raw: { width, height, channels: channels as 1 | 3 | 4 } })
    .resize(shape.width, shape.height, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toRgb(new Uint8Array(out.buffer, out.byteOffset, out.byteLength), shape);
}

function toRgb(buf: Uint8Array, shape: InputShape): Uint8Array {
  const pixels = shape.width * shape.height;
  if (buf.length === pixels * 3) return Uint8Array.from(buf);
  if (buf.length === pixels) {
    const rgb = new Uint8Array(pixels * 3);
    for (let i = 0; i < pixels; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = buf[i]!;
    return rgb;
  }
  throw new Error(`unexpected resized size ${buf.length}`);
}

/** Decode an encoded image (JPEG, PNG, BMP: image.ts) and resize it to `shape`. */
export async function decodeImageBytes(bytes: Uint8Array, shape: InputShape = DIGIT_INPUT): Promise<Uint8Array> {
  const image = await decodeImage(bytes);
  return resizeRaw(image.data, image.width, image.height, image.channels, shape);
}

/** A CropImage (base64 raw pixels) resized to `shape`, RGB uint8. */
export async function cropToRgb(crop: CropImage, shape: InputShape = DIGIT_INPUT): Promise<Uint8Array> {
  const data = Buffer.from(crop.data, 'base64');
  const expected = crop.width * crop.height * crop.channels;
  if (data.length !== expected) {
    throw new Error(`crop data has ${data.length} bytes, expected ${crop.width}x${crop.height}x${crop.channels}=${expected}`);
  }
  return resizeRaw(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), crop.width, crop.height, crop.channels, shape);
}

/** Either form of input the recognizer accepts: a CropImage or a path to an image file. */
export type DigitSource = CropImage | string;

export async function sourceToRgb(source: DigitSource, shape: InputShape = DIGIT_INPUT): Promise<Uint8Array> {
  return typeof source === 'string' ? decodeImageBytes(await readFile(source), shape) : cropToRgb(source, shape);
}

/**
 * Per-image standardization (as tf.image.per_image_standardization): subtract the mean of all
 * values, divide by max(stddev, 1/sqrt(n)). Writes rgb.length values into `out` at `offset`.
 */
export function standardizeInto(rgb: ArrayLike<number>, out: Float32Array, offset = 0): void {
  const n = rgb.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rgb[i]!;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = rgb[i]! - mean;
    sq += d * d;
  }
  const scale = 1 / Math.max(Math.sqrt(sq / n), 1 / Math.sqrt(n));
  for (let i = 0; i < n; i++) out[offset + i] = (rgb[i]! - mean) * scale;
}

export function standardize(rgb: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rgb.length);
  standardizeInto(rgb, out);
  return out;
}

/**
 * Turn a CropImage or an image file into the model's normalized input tensor, shape
 * [32, 20, 3] (height, width, channels), float32, per-image standardized.
 */
export async function preprocessCrop(source: DigitSource): Promise<tf.Tensor3D> {
  const rgb = await sourceToRgb(source);
  await initBackend();
  return tf.tensor3d(standardize(rgb), [DIGIT_INPUT.height, DIGIT_INPUT.width, DIGIT_INPUT.channels], 'float32');
}

/** Stack many standardized inputs into one batch tensor [n, height, width, 3]. */
export function batchTensor(rgbs: ArrayLike<number>[], shape: InputShape = DIGIT_INPUT): tf.Tensor4D {
  const values = inputValues(shape);
  const buf = new Float32Array(rgbs.length * values);
  rgbs.forEach((rgb, i) => standardizeInto(rgb, buf, i * values));
  return tf.tensor4d(buf, [rgbs.length, shape.height, shape.width, shape.channels], 'float32');
}
