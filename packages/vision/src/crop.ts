import sharp from 'sharp';
import type { Box, CounterLayout, CropImage } from '@metertwin/contracts';
import { probeImage, type ProbeOptions } from './probe.js';
import { scaleLayout, unionBox, type Size } from './layout.js';

/** Input size of the digit recognizer (RGB). */
export const DIGIT_CROP_SIZE = { width: 20, height: 32 } as const;
/** Input size of the pointer recognizer (RGB). */
export const POINTER_CROP_SIZE = { width: 32, height: 32 } as const;

export interface Crop {
  kind: 'digit' | 'pointer';
  /** Position in the layout's list, most significant first. */
  index: number;
  /** Where it was cut, in frame pixels. */
  box: Box;
  image: CropImage;
}

/** A decoded frame: raw interleaved RGB, upright (EXIF orientation applied). */
export interface DecodedFrame extends Size {
  data: Buffer;
  channels: 3;
}

/** Decodes (after validating with probeImage) a JPEG/PNG into upright raw RGB. */
export async function decodeFrame(bytes: Uint8Array, options?: ProbeOptions): Promise<DecodedFrame> {
  const info = await probeImage(bytes, options);
  const { data, info: out } = await sharp(bytes, { limitInputPixels: options?.maxPixels ?? info.width * info.height })
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: out.width, height: out.height, channels: 3 };
}

async function cutOne(frame: DecodedFrame, box: Box, size: Size, normalise: boolean): Promise<CropImage> {
  let img = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).extract({
    left: box[0],
    top: box[1],
    width: box[2],
    height: box[3],
  });
  if (normalise) img = img.normalise();
  const data = await img.resize(size.width, size.height, { fit: 'fill' }).raw().toBuffer();
  return { width: size.width, height: size.height, channels: 3, data: data.toString('base64') };
}

export interface CropOptions extends ProbeOptions {
  /** Stretch each crop's contrast to the full range (default true). */
  normalise?: boolean;
}

/**
 * Cuts the layout's digit and pointer boxes out of a frame. The boxes are scaled from the layout's
 * reference size to the frame size, cut from the real pixels, contrast-normalised and resized to the
 * recognizer's input (digits 20×32, pointers 32×32, RGB).
 */
export async function cropDigits(
  input: Uint8Array | DecodedFrame,
  layout: CounterLayout,
  options: CropOptions = {},
): Promise<Crop[]> {
  const frame = input instanceof Uint8Array ? await decodeFrame(input, options) : input;
  const scaled = scaleLayout(layout, frame);
  const normalise = options.normalise ?? true;
  const jobs = [
    ...scaled.digits.map((box, index) => ({ kind: 'digit' as const, index, box, size: DIGIT_CROP_SIZE })),
    ...scaled.pointers.map((box, index) => ({ kind: 'pointer' as const, index, box, size: POINTER_CROP_SIZE })),
  ];
  return Promise.all(
    jobs.map(async ({ kind, index, box, size }) => ({ kind, index, box, image: await cutOne(frame, box, size, normalise) })),
  );
}

/** Simple image quality numbers of a region (the counter window by default). */
export interface Quality {
  /** Mean luminance 0–1. */
  brightness: number;
  /** Luminance standard deviation 0–1. */
  contrast: number;
  /** libvips' sharpness estimate (higher is sharper; below ~1 is very blurred). */
  sharpness: number;
}

export async function measureQuality(frame: DecodedFrame, region?: Box): Promise<Quality> {
  let img = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } });
  if (region) img = img.extract({ left: region[0], top: region[1], width: region[2], height: region[3] });
  const grey = await img.greyscale().raw().toBuffer({ resolveWithObject: true });
  const stats = await sharp(grey.data, { raw: { width: grey.info.width, height: grey.info.height, channels: 1 } }).stats();
  const ch = stats.channels[0]!;
  return {
    brightness: round(ch.mean / 255),
    contrast: round(ch.stdev / 255),
    sharpness: round(stats.sharpness),
  };
}

/** The layout scaled onto a frame, plus the quality of its counter window: what `metertwin locate` prints. */
export async function locateWithLayout(input: Uint8Array | DecodedFrame, layout: CounterLayout) {
  const frame = input instanceof Uint8Array ? await decodeFrame(input) : input;
  const scaled = scaleLayout(layout, frame);
  const window = scaled.window ?? unionBox([...scaled.digits]);
  return {
    image: { width: frame.width, height: frame.height },
    source: 'layout' as const,
    window,
    digits: scaled.digits,
    pointers: scaled.pointers,
    quality: await measureQuality(frame, window),
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
