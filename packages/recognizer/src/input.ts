import { readFile } from 'node:fs/promises';
import type { CropImage } from '@metertwin/contracts';
import sharp from 'sharp';
import { initBackend } from './backend.js';
import { decodeBmp, isBmp } from './bmp.js';
import { tf } from './tf.js';

/** The digit model's input: the vision code crops every drum to this size, RGB. */
export const DIGIT_INPUT = { width: 20, height: 32, channels: 3 } as const;

/** Image files the recognizer reads. BMP is decoded by hand (sharp cannot read it). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.bmp'] as const;

export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

const PIXELS = DIGIT_INPUT.width * DIGIT_INPUT.height;
const VALUES = PIXELS * DIGIT_INPUT.channels;

/**
 * Resize raw interleaved pixels (1, 3 or 4 channels) to DIGIT_INPUT, RGB uint8 (width*height*3).
 * Uses sharp's default (Lanczos) resampler with fit 'fill', same path for files and crops, so
 * training and inference see identical pixels.
 */
export async function resizeRaw(
  data: Uint8Array,
  width: number,
  height: number,
  channels: number,
): Promise<Uint8Array> {
  if (channels === 3 && width === DIGIT_INPUT.width && height === DIGIT_INPUT.height) {
    return Uint8Array.from(data.subarray(0, VALUES));
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`unsupported channel count ${channels}`);
  const { data: out } = await sharp(data, { raw: { width, height, channels: channels as 1 | 3 | 4 } })
    .resize(DIGIT_INPUT.width, DIGIT_INPUT.height, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toRgb(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
}

function toRgb(buf: Uint8Array): Uint8Array {
  if (buf.length === VALUES) return Uint8Array.from(buf);
  if (buf.length === PIXELS) {
    const rgb = new Uint8Array(VALUES);
    for (let i = 0; i < PIXELS; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = buf[i]!;
    return rgb;
  }
  throw new Error(`unexpected resized size ${buf.length}`);
}

/** Decode an encoded image (JPEG, PNG, BMP, anything sharp reads) and resize it to DIGIT_INPUT. */
export async function decodeImageBytes(bytes: Uint8Array): Promise<Uint8Array> {
  if (isBmp(bytes)) {
    const bmp = decodeBmp(bytes);
    return resizeRaw(bmp.data, bmp.width, bmp.height, 3);
  }
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return resizeRaw(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, info.channels);
}

/** A CropImage (base64 raw pixels) resized to DIGIT_INPUT, RGB uint8. */
export async function cropToRgb(crop: CropImage): Promise<Uint8Array> {
  const data = Buffer.from(crop.data, 'base64');
  const expected = crop.width * crop.height * crop.channels;
  if (data.length !== expected) {
    throw new Error(`crop data has ${data.length} bytes, expected ${crop.width}x${crop.height}x${crop.channels}=${expected}`);
  }
  return resizeRaw(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), crop.width, crop.height, crop.channels);
}

/** Either form of input the recognizer accepts: a CropImage or a path to an image file. */
export type DigitSource = CropImage | string;

export async function sourceToRgb(source: DigitSource): Promise<Uint8Array> {
  return typeof source === 'string' ? decodeImageBytes(await readFile(source)) : cropToRgb(source);
}

/**
 * Per-image standardization (as tf.image.per_image_standardization): subtract the mean of all
 * values, divide by max(stddev, 1/sqrt(n)). Writes into `out` (length width*height*3) at `offset`.
 */
export function standardizeInto(rgb: ArrayLike<number>, out: Float32Array, offset = 0): void {
  const n = VALUES;
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
  const out = new Float32Array(VALUES);
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

/** Stack many standardized inputs into one batch tensor [n, 32, 20, 3]. */
export function batchTensor(rgbs: ArrayLike<number>[]): tf.Tensor4D {
  const buf = new Float32Array(rgbs.length * VALUES);
  rgbs.forEach((rgb, i) => standardizeInto(rgb, buf, i * VALUES));
  return tf.tensor4d(buf, [rgbs.length, DIGIT_INPUT.height, DIGIT_INPUT.width, DIGIT_INPUT.channels], 'float32');
}
