import sharp from 'sharp';
import type { Box } from '@metertwin/contracts';
import { decodeFrame, type DecodedFrame } from './crop.js';
import { opencv } from './opencv.js';
import { measureQuality, type Quality } from './quality.js';

/**
 * A first, simple counter detection for frames without a layout: finds the dark, wide, rectangular
 * counter window and splits it into digits by the columns holding bright glyphs. Made for
 * light-faced meters with a dark drum window (like the composed ones); it is a starting point for
 * onboarding, not a replacement for a meter's layout.
 */
export interface CounterDetection {
  source: 'detected';
  image: { width: number; height: number };
  window: Box;
  digits: Box[];
  /** 0–1: how window-like the region is and how regular the digit spacing is. */
  confidence: number;
  quality: Quality;
}

const WORK_WIDTH = 640;

export async function detectCounter(input: Uint8Array | DecodedFrame): Promise<CounterDetection | undefined> {
  const frame = input instanceof Uint8Array ? await decodeFrame(input) : input;
  const scale = frame.width / WORK_WIDTH;
  const { data, info } = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize(WORK_WIDTH)
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  const { cv } = await opencv();
  const grey = cv.matFromArray(H, W, cv.CV_8UC1, Array.from(data));
  const mats: { delete(): void }[] = [grey];
  try {
    const blurred = new cv.Mat();
    mats.push(blurred);
    cv.GaussianBlur(grey, blurred, new cv.Size(5, 5), 0);
    const dark = new cv.Mat();
    mats.push(dark);
    cv.threshold(blurred, dark, 0, 255, cv.THRESH_BINARY_INV + cv.THRESH_OTSU);
    const kernel = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(3, 3));
    mats.push(kernel);
    cv.morphologyEx(dark, dark, cv.MORPH_CLOSE, kernel);
    const contours = new cv.MatVector();
    const hierarchy = new cv.Mat();
    mats.push(contours, hierarchy);
    cv.findContours(dark, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);

    let best: { box: Box; score: number } | undefined;
    for (let i = 0; i < contours.size(); i++) {
      const c = contours.get(i);
      const r = cv.boundingRect(c);
      const area = cv.contourArea(c);
      c.delete();
      const aspect = r.width / r.height;
      if (aspect < 1.6 || aspect > 12) continue;
      if (r.height < H * 0.04 || r.height > H * 0.4 || r.width < W * 0.15 || r.width > W * 0.95) continue;
      const fill = area / (r.width * r.height);
      if (fill < 0.6) continue;
      const score = fill * Math.min(1, (r.width * r.height) / (W * H * 0.02));
      if (!best || score > best.score) best = { box: [r.x, r.y, r.width, r.height], score };
    }
    if (!best) return undefined;

    const [wx, wy, ww, wh] = best.box;
    const digits = await splitDigits(data, W, best.box);
    if (digits.boxes.length === 0) return undefined;
    const up = (b: Box): Box => {
      const x0 = Math.max(0, Math.round(b[0] * scale));
      const y0 = Math.max(0, Math.round(b[1] * scale));
      return [x0, y0, Math.min(frame.width - x0, Math.round(b[2] * scale)), Math.min(frame.height - y0, Math.round(b[3] * scale))];
    };
    const window = up([wx, wy, ww, wh]);
    return {
      source: 'detected',
      image: { width: frame.width, height: frame.height },
      window,
      digits: digits.boxes.map(up),
      confidence: Math.round(Math.min(1, best.score) * digits.regularity * 100) / 100,
      quality: await measureQuality(frame, window),
    };
  } finally {
    for (const m of mats) m.delete();
  }
}

/**
 * Splits the window into equally wide drums. The drum pitch is the strongest period of the
 * bright-glyph column profile (autocorrelation over 0.45–1.25 × the window height).
 */
async function splitDigits(grey: Buffer, W: number, window: Box): Promise<{ boxes: Box[]; regularity: number }> {
  const [wx, wy, ww, wh] = window;
  const padY = Math.round(wh * 0.08);
  const y0 = wy + padY;
  const h = wh - 2 * padY;
  const region = Buffer.alloc(ww * h);
  for (let y = 0; y < h; y++) grey.copy(region, y * ww, (y0 + y) * W + wx, (y0 + y) * W + wx + ww);
  const sorted = Buffer.from(region).sort();
  const lo = sorted[Math.floor(sorted.length * 0.2)]!;
  const hi = sorted[Math.floor(sorted.length * 0.98)]!;
  const t = (lo + hi) / 2;
  const ink = new Array<number>(ww).fill(0);
  for (let y = 0; y < h; y++) for (let x = 0; x < ww; x++) if (region[y * ww + x]! > t) ink[x]!++;
  const mean = ink.reduce((a, b) => a + b, 0) / ww;
  const centred = ink.map((v) => v - mean);
  const energy = centred.reduce((a, v) => a + v * v, 0);
  if (energy === 0) return { boxes: [], regularity: 0 };
  const lags: { lag: number; r: number }[] = [];
  for (let lag = Math.round(wh * 0.4); lag <= Math.min(Math.round(wh * 1.25), ww - 1); lag++) {
    let r = 0;
    for (let x = 0; x + lag < ww; x++) r += centred[x]! * centred[x + lag]!;
    lags.push({ lag, r: r / (energy * ((ww - lag) / ww)) });
  }
  // multiples of the pitch correlate too: take the shortest strong local maximum
  const maxR = Math.max(...lags.map((l) => l.r));
  const peaks = lags.filter((l, i) => l.r >= 0.6 * maxR && l.r >= (lags[i - 1]?.r ?? -Infinity) && l.r >= (lags[i + 1]?.r ?? -Infinity));
  const bestLag = peaks[0]?.lag ?? 0;
  const bestR = peaks[0]?.r ?? 0;
  if (bestLag === 0) return { boxes: [], regularity: 0 };
  const padX = Math.round(wh * 0.09);
  const inner = ww - 2 * padX;
  const n = Math.max(1, Math.round(inner / bestLag));
  const pitch = inner / n;
  const bw = Math.max(2, Math.round(pitch * 0.9));
  const boxes: Box[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.round(wx + padX + i * pitch + (pitch - bw) / 2);
    boxes.push([x, y0, bw, h]);
  }
  return { boxes, regularity: Math.max(0, Math.min(1, bestR)) };
}
