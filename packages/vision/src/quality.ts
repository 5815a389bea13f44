import type { Box } from '@metertwin/contracts';
import type { DecodedFrame } from './crop.js';

/** Simple image quality numbers of a region (the counter window by default). */
export interface Quality {
  /** Mean luminance 0–1. */
  brightness: number;
  /** Luminance standard deviation 0–1. */
  contrast: number;
  /** sharp's (libvips') sharpness estimate (higher is sharper; below ~1 is very blurred). */
  sharpness: number;
}

export type QualityReason = 'too-dark' | 'too-bright' | 'low-contrast' | 'blurred' | 'glare' | 'occluded' | 'not-aligned';

/** How readable a frame is: the window's numbers, a 0–1 score and why it is not 1. */
export interface FrameQuality extends Quality {
  /** 1 = nothing wrong found; each problem lowers it. */
  score: number;
  reasons: QualityReason[];
  /** Share of near-white pixels per digit box (glare spots), most significant first. */
  glare: number[];
  /** Digit boxes (indexes) that look covered: almost no contrast while the others have some. */
  occluded: number[];
  /** The whole frame is black, blank or flat: it is refused rather than cropped. */
  unreadable: boolean;
}

// Measured on composed frames (day and infrared, all effects): window contrast ≥ 0.12;
// a drum's white glyph strokes make up to ~27 % of it near-white, a glare spot far more.
const DARK = 0.08;
const BRIGHT = 0.92;
const FLAT = 0.035;
// edge strength per unit of contrast (so a dark frame is not called blurred): composed frames with
// every effect ≥ 0.07, one extra Gaussian blur of σ = 1 gives 0.034
const BLURRED = 0.04;
export const GLARE_SHARE = 0.45;
const GLARE_LEVEL = 240;

/** Luminance (Rec. 601, like libvips' greyscale) of a region, cut in JS: cheaper than a pipeline. */
function greyRegion(frame: DecodedFrame, region: Box = [0, 0, frame.width, frame.height]): { data: Buffer; width: number; height: number } {
  const [x0, y0, w, h] = region;
  const out = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) {
    let p = ((y0 + y) * frame.width + x0) * 3;
    for (let x = 0; x < w; x++, p += 3) {
      out[y * w + x] = Math.round(0.299 * frame.data[p]! + 0.587 * frame.data[p + 1]! + 0.114 * frame.data[p + 2]!);
    }
  }
  return { data: out, width: w, height: h };
}

/** Mean and standard deviation (0–255) of the frame's luminance, every 4th pixel each way. */
function frameStats(frame: DecodedFrame): { mean: number; stdev: number } {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (let y = 0; y < frame.height; y += 4) {
    for (let x = 0; x < frame.width; x += 4) {
      const p = (y * frame.width + x) * 3;
      const v = 0.299 * frame.data[p]! + 0.587 * frame.data[p + 1]! + 0.114 * frame.data[p + 2]!;
      n++;
      sum += v;
      sq += v * v;
    }
  }
  const mean = sum / n;
  return { mean, stdev: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

export async function measureQuality(frame: DecodedFrame, region?: Box): Promise<Quality> {
  return qualityOf(greyRegion(frame, region));
}

/** The numbers of a grey image, as sharp's `stats()` gives them (see `greyStats`). */
function qualityOf(grey: { data: Buffer; width: number; height: number }): Quality {
  const { mean, stdev, sharpness } = greyStats(grey);
  return { brightness: round(mean / 255), contrast: round(stdev / 255), sharpness: round(sharpness) };
}

/**
 * sharp's `stats()` mean, standard deviation and sharpness of a one-channel image, computed as libvips
 * 8.17 does (stats.c, convf.c, deviate.c) without the pipeline, whose histograms for entropy and
 * dominant colour, unused here, made it cost 4–6 ms CPU a frame. Sharpness: the standard deviation of
 * the Laplacian [0 1 0; 1 −4 1; 0 1 0] / 9 (edges replicated, each value stored as float32). Sums in
 * double: mean and deviation are exact (integer sums); the sharpness may differ from libvips' in the
 * last bits only (its summation order follows its tiles and threads).
 */
export function greyStats({ data, width: w, height: h }: { data: Uint8Array; width: number; height: number }): { mean: number; stdev: number; sharpness: number } {
  const n = w * h;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    sum += v;
    sum2 += v * v;
  }
  const deviation = (s: number, s2: number) => Math.sqrt(Math.abs(s2 - (s * s) / n) / (n - 1));
  if (w < 2 && h < 2) return { mean: sum / n, stdev: deviation(sum, sum2), sharpness: 0 };
  const side = 1 / 9;
  const centre = -4 / 9;
  let lsum = 0;
  let lsum2 = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const up = Math.max(0, y - 1) * w;
    const down = Math.min(h - 1, y + 1) * w;
    for (let x = 0; x < w; x++) {
      const left = Math.max(0, x - 1);
      const right = Math.min(w - 1, x + 1);
      const v = Math.fround(side * data[up + x]! + side * data[row + left]! + centre * data[row + x]! + side * data[row + right]! + side * data[down + x]!);
      lsum += v;
      lsum2 += v * v;
    }
  }
  return { mean: sum / n, stdev: deviation(sum, sum2), sharpness: deviation(lsum, lsum2) };
}

/**
 * Judges the counter window and each digit box of a located frame. A counter given as a quad is
 * judged on its rectified `strip` (its drums at `cells`, strip pixels): its upright bounds would hold
 * the face around a turned window.
 */
export async function assessQuality(
  frame: DecodedFrame,
  location: { window: Box; digits: Box[]; registration: { status: string } },
  strip?: { frame: DecodedFrame; cells: Box[] },
): Promise<FrameQuality> {
  // window and digit statistics from the grey window only (the digits lie in it)
  const [wx, wy] = strip ? [0, 0] : location.window;
  const win = strip ? greyRegion(strip.frame) : greyRegion(frame, location.window);
  const q = qualityOf(win);
  const perDigit = (strip?.cells ?? location.digits).map((box) => digitStats(win, [box[0] - wx, box[1] - wy, box[2], box[3]]));
  const glare = perDigit.map((d) => round(d.white));
  const median = [...perDigit.map((d) => d.stdev)].sort((a, b) => a - b)[Math.floor(perDigit.length / 2)] ?? 0;
  const occluded = perDigit.flatMap((d, i) => (median > 20 && d.stdev < median * 0.25 ? [i] : []));
  const reasons: QualityReason[] = [];
  if (location.registration.status === 'not-aligned') reasons.push('not-aligned');
  if (q.brightness < DARK) reasons.push('too-dark');
  if (q.brightness > BRIGHT) reasons.push('too-bright');
  if (q.contrast < FLAT) reasons.push('low-contrast');
  if (q.contrast >= FLAT && q.sharpness / (q.contrast * 255) < BLURRED) reasons.push('blurred');
  if (glare.some((g) => g > GLARE_SHARE)) reasons.push('glare');
  if (occluded.length) reasons.push('occluded');
  const penalty: Record<QualityReason, number> = { 'not-aligned': 0.6, 'too-dark': 0.6, 'too-bright': 0.6, 'low-contrast': 0.6, blurred: 0.3, glare: 0.25, occluded: 0.3 };
  const score = round(Math.max(0, reasons.reduce((s, r) => s * (1 - penalty[r]), 1)));
  // the whole frame black, white or flat: nothing to register or read
  const whole = frameStats(frame);
  const unreadable = whole.stdev / 255 < FLAT || whole.mean / 255 < DARK / 2 || whole.mean / 255 > 0.97;
  return { ...q, score, reasons, glare, occluded, unreadable };
}

function digitStats(grey: { data: Buffer; width: number; height: number }, box: Box): { white: number; stdev: number } {
  let n = 0;
  let white = 0;
  let sum = 0;
  let sq = 0;
  for (let y = Math.max(0, box[1]); y < Math.min(grey.height, box[1] + box[3]); y++) {
    for (let x = Math.max(0, box[0]); x < Math.min(grey.width, box[0] + box[2]); x++) {
      const v = grey.data[y * grey.width + x]!;
      n++;
      sum += v;
      sq += v * v;
      if (v >= GLARE_LEVEL) white++;
    }
  }
  if (n === 0) return { white: 0, stdev: 0 };
  const mean = sum / n;
  return { white: white / n, stdev: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
