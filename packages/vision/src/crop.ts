import sharp from 'sharp';
import type { Box, Circle, CounterLayout, CropImage, Quad } from '@metertwin/contracts';
import { decodeOrReject, readHeader, type ProbeOptions } from './probe.js';
import { scaleLayout, unionBox, type Size } from './layout.js';
import { registerFrame, type Registration } from './align.js';
import { ImageRejectedError } from './errors.js';
import { IDENTITY, mapBox, multiplyH, scaleH, translateH, type Homography } from './homography.js';
import { matOf, opencv, withMats } from './opencv.js';
import { assessQuality, GLARE_SHARE, type FrameQuality } from './quality.js';
import { reduceGlare } from './glare.js';
import { normaliseRgb } from './normalise.js';
import { boundsOf, dialCorners, dialOnto, drumQuad, gridOnto, mapCircle, mapQuad, readingAngle, stripSize } from './quad.js';

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

/**
 * Decodes a JPEG/PNG into upright raw RGB, with probeImage's checks: its header ones first, and the
 * decode itself stands in for its thumbnail (stricter: sharp's default failOn, every pixel).
 * @throws ImageRejectedError
 */
export async function decodeFrame(bytes: Uint8Array, options?: ProbeOptions): Promise<DecodedFrame> {
  const info = await readHeader(bytes, options);
  const { data, info: out } = await decodeOrReject(info, () =>
    sharp(bytes, { limitInputPixels: options?.maxPixels ?? info.width * info.height })
      .timeout({ seconds: options?.timeoutSeconds ?? 10 })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true }),
  );
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
  /** A quad layout's window, drum cells and dials in frame pixels: what the twin's overlay draws. */
  counter?: CounterOutline;
}

/** A counter given as a quadrilateral, where it is in one frame. */
export interface CounterOutline {
  /** Window corners TL, TR, BR, BL in reading order. */
  quad: Quad;
  /** Each drum's cell of the window, most significant first. */
  drums: Quad[];
  /** Dials [cx, cy, r]. */
  dials: Circle[];
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
  const located = { image: { width: frame.width, height: frame.height }, source: 'layout' as const, registration, homography: h };
  const { windowQuad } = layout;
  if (windowQuad) {
    const n = layout.digits.length;
    const angle = readingAngle(windowQuad);
    const dials = layout.dials ?? [];
    const counter: CounterOutline = {
      quad: mapQuad(h, windowQuad),
      drums: Array.from({ length: n }, (_, i) => mapQuad(h, drumQuad(windowQuad, i, n))),
      dials: dials.map((d) => mapCircle(h, d, angle)),
    };
    return {
      ...located,
      window: boundsOf(counter.quad, frame),
      digits: counter.drums.map((q) => boundsOf(q, frame)),
      pointers: dials.map((d) => boundsOf(mapQuad(h, dialCorners(d, angle)), frame)),
      counter,
    };
  }
  const map = (b: Box) => mapBox(h, b, frame);
  const window = layout.window ?? unionBox(layout.digits);
  return { ...located, window: map(window), digits: layout.digits.map(map), pointers: (layout.pointers ?? []).map(map) };
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
  const strip = layout.windowQuad ? await rectifyWindow(frame, layout.windowQuad, location.homography, layout.digits.length) : undefined;
  const quality = await assessQuality(frame, location, strip);
  // an unreadable frame (black, blank) is reported as such, not as a registration problem
  if (quality.unreadable) {
    throw new ImageRejectedError('low-quality', `frame quality too low: ${quality.reasons.filter((r) => r !== 'not-aligned').join(', ')}`);
  }
  if (location.registration.status === 'not-aligned') {
    throw new ImageRejectedError('not-aligned', `the frame cannot be aligned to the meter's reference: ${location.registration.reason}`);
  }
  const glared = options.reduceGlare === false ? undefined : quality.glare.map((share) => share > GLARE_SHARE);
  const crops = await cutCrops(frame, layout, location, options.normalise ?? true, glared, strip);
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
async function cutCrops(
  frame: DecodedFrame,
  layout: CounterLayout,
  location: FrameLocation,
  normalise: boolean,
  glared?: boolean[],
  strip?: RectifiedWindow,
): Promise<Crop[]> {
  const jobs = [
    ...layout.digits.map((box, index) => ({ kind: 'digit' as const, index, box, size: DIGIT_CROP_SIZE })),
    ...(layout.pointers ?? []).map((box, index) => ({ kind: 'pointer' as const, index, box, size: POINTER_CROP_SIZE })),
  ];
  const cut = strip
    ? [...strip.cells.map((cell) => extract(strip.frame, cell)), ...(await warpDials(frame, layout, location.homography))]
    : location.registration.status === 'aligned'
      ? await warpBoxes(frame, location.homography, jobs.map((j) => j.box), frame.width / layout.reference.width, frame.height / layout.reference.height)
      : scaleLayoutBoxes(layout, frame, jobs.length).map((box) => extract(frame, box));
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

/**
 * Share of the window's height kept around the quad in the rectified strip: quality is judged on the
 * strip with it, like on the upright window boxes (which hold about that much of the bezel around
 * the drums) its thresholds were measured on.
 */
const WINDOW_MARGIN = 0.12;

/** A window quad rectified to a level strip, and where each drum is in it. */
export interface RectifiedWindow {
  frame: DecodedFrame;
  /** Equal cells of the quad inside the margin, strip pixels, most significant first. */
  cells: Box[];
}

/**
 * The window quad rectified to a level strip at the frame's resolution (perspective warp through
 * `h`, reference → frame) with WINDOW_MARGIN around it: the drums stand upright in it, side by side.
 */
async function rectifyWindow(frame: DecodedFrame, quad: Quad, h: Homography, drums: number): Promise<RectifiedWindow> {
  const size = stripSize(mapQuad(h, quad));
  const width = Math.max(2, Math.round(size.width));
  const height = Math.max(2, Math.round(size.height));
  const margin = Math.round(WINDOW_MARGIN * height);
  const toFrame = multiplyH(h, multiplyH(gridOnto(quad, { width, height }), translateH(-margin, -margin)));
  const [strip] = await warpPatches(frame, [{ toFrame, width: width + 2 * margin, height: height + 2 * margin }]);
  const cells = Array.from({ length: drums }, (_, i): Box => {
    const x0 = Math.round((i * width) / drums);
    const x1 = Math.max(x0 + 1, Math.round(((i + 1) * width) / drums));
    return [margin + x0, margin, x1 - x0, height];
  });
  return { frame: strip!, cells };
}

/**
 * A counter window given as a quad in the frame's own pixels, rectified to a level strip with a
 * little of its bezel, and its drums in it: what a cloud OCR is sent for a turned counter.
 */
export async function rectifyCounter(input: Uint8Array | DecodedFrame, quad: Quad, drums: number): Promise<RectifiedWindow> {
  const frame = input instanceof Uint8Array ? await decodeFrame(input) : input;
  return rectifyWindow(frame, quad, IDENTITY, drums);
}

/** Each dial as a square turned into the counter's orientation (its "0" at the top). */
async function warpDials(frame: DecodedFrame, layout: CounterLayout, h: Homography): Promise<DecodedFrame[]> {
  const angle = readingAngle(layout.windowQuad!);
  const patches = (layout.dials ?? []).map((dial) => {
    const side = Math.max(2, Math.round(2 * mapCircle(h, dial, angle)[2]));
    return { toFrame: multiplyH(h, dialOnto(dial, angle, side)), width: side, height: side };
  });
  return warpPatches(frame, patches);
}

function scaleLayoutBoxes(layout: CounterLayout, frame: Size, n: number): Box[] {
  const scaled = scaleLayout(layout, frame);
  return [...scaled.digits, ...scaled.pointers].slice(0, n);
}

/** Each reference box as the registered frame shows it, at the frame's resolution (perspective warp). */
async function warpBoxes(frame: DecodedFrame, h: Homography, boxes: Box[], sx: number, sy: number): Promise<DecodedFrame[]> {
  return warpPatches(
    frame,
    boxes.map((box) => ({
      // crop pixel → reference → frame
      toFrame: multiplyH(h, multiplyH(translateH(box[0], box[1]), scaleH(1 / sx, 1 / sy))),
      width: Math.max(2, Math.round(box[2] * sx)),
      height: Math.max(2, Math.round(box[3] * sy)),
    })),
  );
}

/** Patches of the frame, each seen through its own map `toFrame` (patch pixel → frame pixel). */
async function warpPatches(frame: DecodedFrame, patches: { toFrame: Homography; width: number; height: number }[]): Promise<DecodedFrame[]> {
  const { cv } = await opencv();
  return withMats((keep) => {
    const src = keep(matOf(cv, frame.data, frame.width, frame.height, 3));
    return patches.map(({ toFrame, width, height }) => {
      const M = keep(cv.matFromArray(3, 3, cv.CV_64F, toFrame));
      const dst = keep(new cv.Mat());
      cv.warpPerspective(src, dst, M, new cv.Size(width, height), cv.INTER_LINEAR + cv.WARP_INVERSE_MAP, cv.BORDER_REPLICATE);
      return { data: Buffer.from(dst.data), width, height, channels: 3 as const };
    });
  });
}

/**
 * The box of the frame, row by row: the pixels sharp's extract gives, without a libvips pipeline (and a
 * copy of the whole frame into it) per crop.
 */
function extract(frame: DecodedFrame, box: Box): DecodedFrame {
  const [left, top, width, height] = box;
  if (left < 0 || top < 0 || width < 1 || height < 1 || left + width > frame.width || top + height > frame.height) {
    throw new Error(`box ${box.join(',')} is not inside the ${frame.width}×${frame.height} frame`);
  }
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * frame.width + left) * 3;
    frame.data.copy(data, y * width * 3, from, from + width * 3);
  }
  return { data, width, height, channels: 3 };
}

/**
 * The patch at the recognizer's size, its contrast stretched (sharp resizes before it normalises,
 * whatever the call order, so the stretch is of the resized crop: done in JS, byte for byte sharp's).
 */
async function toCrop(patch: DecodedFrame, size: Size, normalise: boolean): Promise<CropImage> {
  const resized = await sharp(patch.data, { raw: { width: patch.width, height: patch.height, channels: 3 } })
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer();
  const data = normalise ? normaliseRgb(resized) : resized;
  return { width: size.width, height: size.height, channels: 3, data: data.toString('base64') };
}

/** The layout located in a frame plus the frame's quality: what `metertwin locate --meter` prints. */
export async function locateWithLayout(input: Uint8Array | DecodedFrame, layout: CounterLayout) {
  const frame = input instanceof Uint8Array ? await decodeFrame(input) : input;
  const location = await locateFrame(frame, layout);
  const strip = layout.windowQuad ? await rectifyWindow(frame, layout.windowQuad, location.homography, layout.digits.length) : undefined;
  return {
    image: location.image,
    source: location.source,
    window: location.window,
    digits: location.digits,
    pointers: location.pointers,
    ...(location.counter ? { counter: location.counter } : {}),
    registration: location.registration,
    quality: await assessQuality(frame, location, strip),
  };
}
