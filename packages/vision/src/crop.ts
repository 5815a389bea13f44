import sharp from 'sharp';
import type { Box, CounterLayout, CropImage } from '@metertwin/contracts';
import { probeImage, type ProbeOptions } from './probe.js';
import { scaleLayout, unionBox, type Size } from './layout.js';
import { registerFrame, type Registration } from './align.js';
import { ImageRejectedError } from './errors.js';
import { mapBox, multiplyH, scaleH, translateH, type Homography } from './homography.js';
import { matOf, opencv, withMats } from './opencv.js';
import { assessQuality, GLARE_SHARE, type FrameQuality } from './quality.js';
import { reduceGlare } from './glare.js';

/** Input size of the digit recognizer (RGB). */
export const DIGIT_CROP_SIZE = { width: 20, height: 32 } as const;
/** Input size of the pointer recognizer (RGB). */
export const POINTER_CROP_SIZE = { width: 32, height: 32 } as const;
/** Smaller frames cannot show drums at a readable size. */
export const MIN_FRAME = { width: 160, height: 120 } as const;

export interface Crop {
  kind: 'digit' | 'pointer';
  /** Position in the layout's list, most significant first. */
  index: number;
  /** Where it was cut, in frame pixels (bounding box of the registered box). */
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

/** Where the layout's boxes are in one frame, after registering it to the meter's reference. */
export interface FrameLocation {
  image: Size;
  source: 'layout';
  registration: Registration;
  /** In frame pixels (axis-aligned bounds of the registered boxes), for drawing. */
  window: Box;
  digits: Box[];
  pointers: Box[];
  /** Reference pixels → frame pixels used to cut (the plain scaling when there is no registration). */
  homography: Homography;
}

/**
 * Registers the frame to the layout's reference (when the layout has alignment marks) and maps the
 * layout's boxes into the frame. An unalignable frame keeps the merely scaled boxes and says so in
 * `registration`; `cropDigits` refuses it.
 */
export async function locateFrame(frame: DecodedFrame, layout: CounterLayout): Promise<FrameLocation> {
  const registration = await registerFrame(frame, layout);
  const scaled = scaleH(frame.width / layout.reference.width, frame.height / layout.reference.height);
  const h = registration.status === 'aligned' ? registration.homography : scaled;
  const map = (b: Box) => mapBox(h, b, frame);
  const window = layout.window ?? unionBox(layout.digits);
  return {
    image: { width: frame.width, height: frame.height },
    source: 'layout',
    registration,
    window: map(window),
    digits: layout.digits.map(map),
    pointers: (layout.pointers ?? []).map(map),
    homography: h,
  };
}

export interface CropOptions extends ProbeOptions {
  /** Stretch each crop's contrast to the full range (default true). */
  normalise?: boolean;
  /** Flatten glare spots out of the digit crops they lie over (see `reduceGlare`; default true). */
  reduceGlare?: boolean;
}

/** Result of `processFrame`: where everything is, how good the frame is, and the crops. */
export interface ProcessedFrame extends FrameLocation {
  quality: FrameQuality;
  crops: Crop[];
}

/**
 * JPEG/PNG bytes (or a decoded frame) to recognizer crops: decode, register to the reference, judge
 * the quality, cut each digit and pointer box in the registered frame (so a rotated or tilted
 * camera still gives upright drums) and bring it to the recognizer's input size. Throws
 * ImageRejectedError ('not-aligned', 'low-quality', or a decoding reason) instead of cutting blindly.
 */
export async function processFrame(input: Uint8Array | DecodedFrame, layout: CounterLayout, options: CropOptions = {}): Promise<ProcessedFrame> {
  const frame = input instanceof Uint8Array ? await decodeFrame(input, options) : input;
  if (frame.width < MIN_FRAME.width || frame.height < MIN_FRAME.height) {
    throw new ImageRejectedError('low-quality', `image is ${frame.width}×${frame.height} px: too small to read a meter (at least ${MIN_FRAME.width}×${MIN_FRAME.height})`);
  }
  const location = await locateFrame(frame, layout);
  const quality = await assessQuality(frame, location);
  // an unreadable frame (black, blank) is reported as such, not as a registration problem
  if (quality.unreadable) {
    throw new ImageRejectedError('low-quality', `frame quality too low: ${quality.reasons.filter((r) => r !== 'not-aligned').join(', ')}`);
  }
  if (location.registration.status === 'not-aligned') {
    throw new ImageRejectedError('not-aligned', `the frame cannot be aligned to the meter's reference: ${location.registration.reason}`);
  }
  const glared = options.reduceGlare === false ? undefined : quality.glare.map((share) => share > GLARE_SHARE);
  const crops = await cutCrops(frame, layout, location, options.normalise ?? true, glared);
  return { ...location, quality, crops };
}

/** The recognizer crops of a frame (see `processFrame`). */
export async function cropDigits(input: Uint8Array | DecodedFrame, layout: CounterLayout, options: CropOptions = {}): Promise<Crop[]> {
  return (await processFrame(input, layout, options)).crops;
}

/**
 * `glared` (digit i flagged by the quality step): when given, glare spots are flattened out of the
 * digit patches (`reduceGlare`) before normalising; undefined leaves them as cut.
 */
async function cutCrops(frame: DecodedFrame, layout: CounterLayout, location: FrameLocation, normalise: boolean, glared?: boolean[]): Promise<Crop[]> {
  const jobs = [
    ...layout.digits.map((box, index) => ({ kind: 'digit' as const, index, box, size: DIGIT_CROP_SIZE })),
    ...(layout.pointers ?? []).map((box, index) => ({ kind: 'pointer' as const, index, box, size: POINTER_CROP_SIZE })),
  ];
  const sx = frame.width / layout.reference.width;
  const sy = frame.height / layout.reference.height;
  const cut =
    location.registration.status === 'aligned'
      ? await warpBoxes(frame, location.homography, jobs.map((j) => j.box), sx, sy)
      : await Promise.all(scaleLayoutBoxes(layout, frame, jobs.length).map((box) => extract(frame, box)));
  const nd = layout.digits.length;
  const patches = glared ? [...(await reduceGlare(cut.slice(0, nd), glared)), ...cut.slice(nd)] : cut;
  return Promise.all(
    jobs.map(async ({ kind, index, size }, i) => ({
      kind,
      index,
      box: (kind === 'digit' ? location.digits : location.pointers)[index]!,
      image: await toCrop(patches[i]!, size, normalise),
    })),
  );
}

function scaleLayoutBoxes(layout: CounterLayout, frame: Size, n: number): Box[] {
  const scaled = scaleLayout(layout, frame);
  return [...scaled.digits, ...scaled.pointers].slice(0, n);
}

/** Each reference box as the registered frame shows it, at the frame's resolution (perspective warp). */
async function warpBoxes(frame: DecodedFrame, h: Homography, boxes: Box[], sx: number, sy: number): Promise<DecodedFrame[]> {
  const { cv } = await opencv();
  return withMats((keep) => {
    const src = keep(matOf(cv, frame.data, frame.width, frame.height, 3));
    return boxes.map((box) => {
      const w = Math.max(2, Math.round(box[2] * sx));
      const hh = Math.max(2, Math.round(box[3] * sy));
      // crop pixel → reference → frame
      const m = multiplyH(h, multiplyH(translateH(box[0], box[1]), scaleH(1 / sx, 1 / sy)));
      const M = keep(cv.matFromArray(3, 3, cv.CV_64F, m));
      const dst = keep(new cv.Mat());
      cv.warpPerspective(src, dst, M, new cv.Size(w, hh), cv.INTER_LINEAR + cv.WARP_INVERSE_MAP, cv.BORDER_REPLICATE);
      return { data: Buffer.from(dst.data), width: w, height: hh, channels: 3 as const };
    });
  });
}

async function extract(frame: DecodedFrame, box: Box): Promise<DecodedFrame> {
  const { data, info } = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract({ left: box[0], top: box[1], width: box[2], height: box[3] })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

async function toCrop(patch: DecodedFrame, size: Size, normalise: boolean): Promise<CropImage> {
  let img = sharp(patch.data, { raw: { width: patch.width, height: patch.height, channels: 3 } });
  if (normalise) img = img.normalise();
  const data = await img.resize(size.width, size.height, { fit: 'fill' }).raw().toBuffer();
  return { width: size.width, height: size.height, channels: 3, data: data.toString('base64') };
}

/** The layout located in a frame plus the frame's quality: what `metertwin locate --meter` prints. */
export async function locateWithLayout(input: Uint8Array | DecodedFrame, layout: CounterLayout) {
  const frame = input instanceof Uint8Array ? await decodeFrame(input) : input;
  const location = await locateFrame(frame, layout);
  return {
    image: location.image,
    source: location.source,
    window: location.window,
    digits: location.digits,
    pointers: location.pointers,
    registration: location.registration,
    quality: await assessQuality(frame, location),
  };
}
