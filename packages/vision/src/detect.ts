import sharp from 'sharp';
import type { Box, Quad } from '@metertwin/contracts';
import { decodeFrame, type DecodedFrame } from './crop.js';
import { opencv, matOf, withMats, type CV, type Mat } from './opencv.js';
import { contourBoxes } from './contour-boxes.js';
import { counterRow } from './counter-row.js';
import { extendRow, findGlyphs, wholeDigits, type GlyphRow } from './glyph-row.js';
import { measureQuality, type Quality } from './quality.js';

/**
 * Counter detection for frames without a layout: finds the dark, wide, rectangular counter window
 * at any angle (Otsu threshold, contours), straightens it (its rotated rectangle), splits it into drums by the
 * period of the bright-glyph column profile and centres each drum on its glyph. When no window
 * stands apart (a real meter's drums often run into a dark cover), the drums are found by their
 * digits instead: a row of evenly spaced, equally tall glyphs across their own axis
 * (glyph-row.ts). A suggestion for onboarding, not a replacement for a meter's layout.
 */
export interface CounterDetection {
  source: 'detected';
  image: { width: number; height: number };
  /** Axis-aligned bounds, frame pixels. */
  window: Box;
  /** Axis-aligned bounds of each drum, most significant first. */
  digits: Box[];
  /**
   * The drum row as a quad, TL, TR, BR, BL, read left to right on the photo (a counter turned more
   * than 90° reads the other way: its quad is this one from BR round to TR).
   */
  quad: Quad;
  /** Rotation of the window against the image axes, degrees (clockwise positive), −90..90. */
  angleDeg: number;
  /** 0–1: how window-like the region is times how regular the digit spacing is. */
  confidence: number;
  /** What found it: `window`, a dark window standing apart; `digits`, a row of drum-like digits. */
  foundBy: 'window' | 'digits';
  /**
   * The best other candidate (another dark window, or a row of digits elsewhere on the face) scored
   * as a share of this one, 0–1: near 1 the two were about as counter-like (the counter or the serial
   * number?) and the choice is unsure; 0 when nothing else was.
   */
  rival: number;
  quality: Quality;
}

const WORK_WIDTH = 640;

interface Candidate {
  rect: { cx: number; cy: number; w: number; h: number; angle: number };
  score: number;
  /** The runner-up's score as a share of this one's (CounterDetection.rival). */
  rival: number;
}

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
  const found = withMats((keep) => {
    const grey = keep(matOf(cv, data, W, H, 1));
    const best = findWindow(cv, grey, keep);
    if (best) {
      const upright = straighten(cv, grey, best.rect, keep);
      const split = splitDigits(upright.data, upright.w, upright.h);
      if (split.cells.length > 0) return { best, split, foundBy: 'window' as const };
    }
    // no dark window stands apart (it merges with a dark housing or cover): find the drums by their digits
    const glyphs = findGlyphs(cv, grey, keep);
    const counter = counterRow(glyphs, (r) => extendRow(data, W, H, r));
    return counter && { ...fromGlyphRow(wholeDigits(glyphs, counter.row), counter.rival), foundBy: 'digits' as const };
  });
  if (!found) return undefined;
  const { best, split, foundBy } = found;
  const { cx, cy, w, h, angle } = best.rect;
  const a = (angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  // upright window pixels → frame pixels
  const toFrame = (u: number, v: number): [number, number] => [
    (cx + (u - w / 2) * cos - (v - h / 2) * sin) * scale,
    (cy + (u - w / 2) * sin + (v - h / 2) * cos) * scale,
  ];
  const bounds = (u: number, v: number, bw: number, bh: number): Box => {
    const pts = [toFrame(u, v), toFrame(u + bw, v), toFrame(u + bw, v + bh), toFrame(u, v + bh)];
    const x0 = Math.max(0, Math.round(Math.min(...pts.map((p) => p[0]))));
    const y0 = Math.max(0, Math.round(Math.min(...pts.map((p) => p[1]))));
    const x1 = Math.min(frame.width, Math.round(Math.max(...pts.map((p) => p[0]))));
    const y1 = Math.min(frame.height, Math.round(Math.max(...pts.map((p) => p[1]))));
    return [x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)];
  };
  const window = bounds(0, 0, w, h);
  const first = split.cells[0]!;
  const last = split.cells[split.cells.length - 1]!;
  const [u0, v0, u1, v1] = [first[0], first[1], last[0] + last[2], first[1] + first[3]];
  const corner = (u: number, v: number) => toFrame(u, v).map((c) => Math.round(c * 10) / 10) as [number, number];
  return {
    source: 'detected',
    image: { width: frame.width, height: frame.height },
    window,
    digits: split.cells.map(([u, v, bw, bh]) => bounds(u, v, bw, bh)),
    quad: [corner(u0, v0), corner(u1, v0), corner(u1, v1), corner(u0, v1)],
    angleDeg: Math.round(angle * 100) / 100,
    confidence: Math.round(Math.min(1, best.score) * split.regularity * 100) / 100,
    foundBy,
    rival: Math.round(best.rival * 100) / 100,
    quality: await measureQuality(frame, window),
  };
}

/**
 * A glyph row as a window (its rotated rectangle) and its drum cells in the upright window, as the
 * dark-window path gives them. Sure in proportion to the drums that show a whole glyph and to how
 * evenly they are spaced (a row of three glyphs is weak evidence).
 */
function fromGlyphRow(row: GlyphRow, rival: number): { best: Candidate; split: { cells: Box[]; regularity: number } } {
  const drums = Math.round((row.to - row.from) / row.pitch) + 1;
  const w = drums * row.pitch;
  const h = row.height * 1.25;
  const mid = (row.from + row.to) / 2;
  const cx = row.origin[0] + mid * row.dir[0];
  const cy = row.origin[1] + mid * row.dir[1];
  const angle = (Math.atan2(row.dir[1], row.dir[0]) * 180) / Math.PI;
  const padY = h * 0.1;
  const cells: Box[] = Array.from({ length: drums }, (_, i) => [(i + 0.055) * row.pitch, padY, row.pitch * 0.89, h - 2 * padY]);
  const even = Math.min(1, row.score / (row.glyphs.length + row.glyphs.length / drums));
  return {
    best: { rect: { cx, cy, w, h, angle }, score: (row.glyphs.length / drums) * Math.min(1, row.glyphs.length / 4), rival },
    split: { cells, regularity: even },
  };
}

/** The most window-like dark region: wide, well filled rotated rectangle of a plausible size. */
function findWindow(cv: CV, grey: Mat, keep: <M extends { delete(): void }>(m: M) => M): Candidate | undefined {
  const W = grey.cols;
  const H = grey.rows;
  const blurred = keep(new cv.Mat());
  cv.GaussianBlur(grey, blurred, new cv.Size(5, 5), 0);
  const dark = keep(new cv.Mat());
  cv.threshold(blurred, dark, 0, 255, cv.THRESH_BINARY_INV + cv.THRESH_OTSU);
  const kernel = keep(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(3, 3)));
  cv.morphologyEx(dark, dark, cv.MORPH_CLOSE, kernel);
  let best: Omit<Candidate, 'rival'> | undefined;
  let second = 0;
  // the long side's direction, −90..90°: a counter at any angle (which end reads first is open)
  for (const { cx, cy, long: w, short: h, angle, area } of contourBoxes(cv, dark, keep)) {
    const aspect = w / h;
    if (aspect < 1.6 || aspect > 12) continue;
    if (h < H * 0.04 || h > H * 0.4 || w < W * 0.15 || w > W * 0.95) continue;
    const fill = area / (w * h);
    if (fill < 0.6) continue;
    const score = fill * Math.min(1, (w * h) / (W * H * 0.02));
    if (!best || score > best.score) {
      second = best?.score ?? 0;
      best = { rect: { cx, cy, w, h, angle }, score };
    } else second = Math.max(second, score);
  }
  return best && { ...best, rival: second / best.score };
}

/** The window cut out upright (rotation undone), grey. */
function straighten(cv: CV, grey: Mat, rect: Candidate['rect'], keep: <M extends { delete(): void }>(m: M) => M) {
  const w = Math.max(8, Math.round(rect.w));
  const h = Math.max(8, Math.round(rect.h));
  const a = (rect.angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  // destination (upright) → source (frame), applied with WARP_INVERSE_MAP
  const m = [cos, -sin, rect.cx - (w / 2) * cos + (h / 2) * sin, sin, cos, rect.cy - (w / 2) * sin - (h / 2) * cos];
  const M = keep(cv.matFromArray(2, 3, cv.CV_64F, m));
  const out = keep(new cv.Mat());
  cv.warpAffine(grey, out, M, new cv.Size(w, h), cv.INTER_LINEAR + cv.WARP_INVERSE_MAP, cv.BORDER_REPLICATE);
  return { data: Buffer.from(out.data), w, h };
}

/**
 * Splits the upright window into drums: the drum pitch is the strongest period of the bright-glyph
 * column profile (autocorrelation over 0.4–1.25 × the window height), then each drum is centred on
 * the ink of its glyph (drums need not be evenly spaced: decimals often sit a little apart).
 */
function splitDigits(region: Buffer, ww: number, wh: number): { cells: Box[]; regularity: number } {
  const padY = Math.round(wh * 0.1);
  const h = wh - 2 * padY;
  const sorted = Buffer.from(region.subarray(padY * ww, (padY + h) * ww)).sort();
  const lo = sorted[Math.floor(sorted.length * 0.2)]!;
  const hi = sorted[Math.floor(sorted.length * 0.98)]!;
  const t = (lo + hi) / 2;
  const ink = new Array<number>(ww).fill(0);
  for (let y = padY; y < padY + h; y++) for (let x = 0; x < ww; x++) if (region[y * ww + x]! > t) ink[x]!++;
  const mean = ink.reduce((a, b) => a + b, 0) / ww;
  const centred = ink.map((v) => v - mean);
  const energy = centred.reduce((a, v) => a + v * v, 0);
  if (energy === 0) return { cells: [], regularity: 0 };
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
  if (bestLag === 0) return { cells: [], regularity: 0 };
  const padX = Math.round(wh * 0.09);
  const inner = ww - 2 * padX;
  // the autocorrelation can lock onto twice the pitch (every other drum alike): of the drum counts
  // near it, keep the one whose drum centres hold glyph ink and whose drum borders hold none
  const n0 = Math.max(1, Math.round(inner / bestLag));
  const counts = [n0, ...Array.from({ length: 2 * n0 + 2 }, (_, i) => i + 1).filter((n) => n !== n0)].filter(
    (n) => inner / n >= wh * 0.3 && inner / n <= wh * 1.3,
  );
  const fits = counts.map((n) => ({ n, fit: splitFit(ink, padX, inner / n, n) }));
  const { n, fit } = fits.reduce((a, b) => (b.fit > a.fit * 1.1 ? b : a));
  const pitch = inner / n;
  const bw = Math.max(2, pitch * 0.89);
  const cells: Box[] = [];
  for (let i = 0; i < n; i++) {
    let centre = padX + (i + 0.5) * pitch;
    // pull the cell onto its glyph's ink, at most a fifth of a pitch
    for (let pass = 0; pass < 2; pass++) {
      let sum = 0;
      let weight = 0;
      for (let x = Math.max(0, Math.round(centre - bw / 2)); x < Math.min(ww, Math.round(centre + bw / 2)); x++) {
        sum += x * ink[x]!;
        weight += ink[x]!;
      }
      if (weight > 0) centre = Math.max(padX + (i + 0.3) * pitch, Math.min(padX + (i + 0.7) * pitch, sum / weight));
    }
    cells.push([centre - bw / 2, padY, bw, h]);
  }
  return { cells, regularity: Math.max(0, Math.min(1, bestR)) * Math.max(0, Math.min(1, fit * 2)) };
}

/** How well n drums of this pitch match the ink: glyph ink at the centres minus ink on the borders, 0–1. */
function splitFit(ink: number[], padX: number, pitch: number, n: number): number {
  const band = (from: number, to: number) => {
    let sum = 0;
    let count = 0;
    for (let x = Math.max(0, Math.round(from)); x < Math.min(ink.length, Math.round(to)); x++) {
      sum += ink[x]!;
      count++;
    }
    return count ? sum / count : 0;
  };
  const peak = Math.max(1, ...ink);
  let centres = 0;
  let borders = 0;
  for (let i = 0; i < n; i++) centres += band(padX + (i + 0.25) * pitch, padX + (i + 0.75) * pitch);
  for (let i = 0; i <= n; i++) borders += band(padX + (i - 0.1) * pitch, padX + (i + 0.1) * pitch);
  return Math.max(0, centres / n - borders / (n + 1)) / peak;
}
