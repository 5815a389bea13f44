import sharp from 'sharp';
import { decodeBmp, isBmp } from './bmp.js';

/**
 * Decoding of crop image files, the one place every reader of crops goes through (the recognizer's
 * data sets and classifier, the composer, the CLI): sharp reads JPEG and PNG but not BMP, which the
 * digit data set holds too. Importable without TensorFlow as `@metertwin/recognizer/image`.
 */

/** Image files the recognizer reads. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.bmp'] as const;

export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Decoded pixels, interleaved, top row first. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

/** Decodes JPEG, PNG, BMP (anything sharp reads, plus BMP) to RGB or grey pixels, alpha dropped. */
export async function decodeImage(bytes: Uint8Array): Promise<RawImage> {
  if (isBmp(bytes)) return { ...decodeBmp(bytes), channels: 3 };
  const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 && info.channels !== 3) throw new Error(`unexpected ${info.channels} channels after decoding`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
}

/** The image as PNG bytes, for code that composes with sharp. */
export async function imageToPng(bytes: Uint8Array): Promise<Buffer> {
  const { data, width, height, channels } = await decodeImage(bytes);
  return sharp(data, { raw: { width, height, channels } }).png().toBuffer();
}
