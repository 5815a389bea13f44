import sharp from 'sharp';
import type { Alignment, Box, CounterLayout, GreyPatch, Quad } from '@metertwin/contracts';
import type { DecodedFrame } from './crop.js';
import { applyH, IDENTITY, invertH, multiplyH, scaleH, type Homography } from './homography.js';
import { matOf, opencv, withMats, type CV, type Mat } from './opencv.js';
import { unitSquareToQuad } from './quad.js';
import { greyscaleRgb } from './srgb.js';

/**
 * Registration of a frame to its meter's reference photo: each alignment mark (a patch of the
 * reference that does not change between frames: window corners, printed text) is found again by
 * normalised cross-correlation near where it should be, a homography is fitted to the matches
 * (RANSAC; affine or similarity with fewer marks), then refined once on the frame warped back onto
 * the reference, where the marks look as they did on the reference even under rotation.
 */
export type Registration =
  | {
      status: 'aligned';
      /** Reference pixels → frame pixels. */
      homography: Homography;
      marks: MarkCounts;
      /** RMS distance between the fitted and the found mark centres, reference pixels. */
      residualPx: number;
      /** Mean correlation (0–1) of the marks the fit kept. */
      score: number;
      /** How the camera moved against the reference: shift of the reference centre, rotation, scale. */
      motion: { shiftPx: [number, number]; rotationDeg: number; scale: number };
    }
  | { status: 'not-aligned'; reason: string; marks: MarkCounts; score: number }
  /** The layout has no alignment marks: its boxes are only scaled to the frame. */
  | { status: 'no-marks' };

export interface MarkCounts {
  total: number;
  /** Found with a correlation above MIN_MARK_SCORE. */
  found: number;
  /** Consistent with the fitted transform. */
  inliers: number;
}

/** Below this correlation a mark counts as not found. */
export const MIN_MARK_SCORE = 0.5;
/** Work resolution of registration: the reference is brought to at most this width. */
const WORK_WIDTH = 640;
/** How far (share of the work width) a mark is searched from where the reference has it. */
const SEARCH = 0.1;
const REFINE_SEARCH_PX = 5;
const MAX_RESIDUAL_PX = 2.5;

/** The frame grey at the work size: sharp's greyscale (and resize), in JS when no resize is needed (3 ms CPU less). */
async function greyAt(frame: DecodedFrame, width: number, height: number): Promise<Buffer> {
  if (width === frame.width && height === frame.height) return greyscaleRgb(frame.data);
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
}

function workSize(layout: CounterLayout, scale: number) {
  return { width: Math.round(layout.reference.width * scale), height: Math.round(layout.reference.height * scale) };
}

function scaledBox(box: Box, k: number): Box {
  return [Math.round(box[0] * k), Math.round(box[1] * k), Math.max(4, Math.round(box[2] * k)), Math.max(4, Math.round(box[3] * k))];
}

/**
 * The alignment data for a meter: patches of the reference frame under `marks` (reference pixels).
 * Without `marks`, picks the most textured patches around the counter window that hold no digit or
 * pointer (a meter's own print and window edges).
 */
export async function buildAlignment(reference: DecodedFrame, layout: CounterLayout, marks?: Box[]): Promise<Alignment> {
  const scale = Math.min(1, WORK_WIDTH / reference.width);
  const size = workSize({ ...layout, reference: { width: reference.width, height: reference.height } }, scale);
  const grey = await greyAt(reference, size.width, size.height);
  const k = (scale * reference.width) / layout.reference.width;
  const chosen = marks ?? pickMarks(grey, size, layout, k);
  const patches = chosen.map((box) => ({ box, patch: cutPatch(grey, size.width, size.height, scaledBox(box, k)) }));
  const usable = patches.filter((m) => patchContrast(m.patch) > 8);
  if (usable.length < 2) throw new Error('the reference has fewer than two textured alignment marks');
  return { scale: k, marks: usable };
}

function cutPatch(grey: Buffer, W: number, H: number, box: Box): GreyPatch {
  const x0 = Math.max(0, Math.min(W - 4, box[0]));
  const y0 = Math.max(0, Math.min(H - 4, box[1]));
  const w = Math.min(box[2], W - x0, 256);
  const h = Math.min(box[3], H - y0, 256);
  const out = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) grey.copy(out, y * w, (y0 + y) * W + x0, (y0 + y) * W + x0 + w);
  return { width: w, height: h, data: out.toString('base64') };
}

function patchContrast(p: GreyPatch): number {
  const px = Buffer.from(p.data, 'base64');
  let m = 0;
  for (const v of px) m += v;
  m /= px.length;
  let s = 0;
  for (const v of px) s += (v - m) ** 2;
  return Math.sqrt(s / px.length);
}

/**
 * Most textured non-overlapping squares around the window that avoid the digits and pointers. A
 * window given as a quad is searched around in its own orientation (a turned counter's upright
 * bounds would cover the face).
 */
function pickMarks(grey: Buffer, size: { width: number; height: number }, layout: CounterLayout, k: number): Box[] {
  const W = size.width;
  const { side, candidates: places, clear } = layout.windowQuad ? aroundQuad(layout, k) : aroundBox(layout, k);
  const candidates: { box: Box; texture: number }[] = [];
  for (const [x, y] of places) {
    if (x < 0 || y < 0 || x + side > W || y + side > size.height) continue;
    const box: Box = [x, y, side, side];
    if (!clear(box)) continue;
    let g = 0;
    for (let yy = y + 1; yy < y + side - 1; yy += 2)
      for (let xx = x + 1; xx < x + side - 1; xx += 2) {
        const i = yy * W + xx;
        g += Math.min(Math.abs(grey[i + 1]! - grey[i - 1]!), 80) + Math.min(Math.abs(grey[i + W]! - grey[i - W]!), 80);
      }
    candidates.push({ box, texture: g });
  }
  candidates.sort((a, b) => b.texture - a.texture);
  const picked: Box[] = [];
  for (const c of candidates) {
    if (picked.length >= 6) break;
    if (picked.some((p) => overlap(p, c.box) > 0)) continue;
    picked.push(c.box);
  }
  return picked.map((b) => [b[0] / k, b[1] / k, b[2] / k, b[3] / k].map(Math.round) as Box);
}

interface MarkSearch {
  /** Side of a mark, work pixels. */
  side: number;
  /** Top-left corners to try, work pixels. */
  candidates: [number, number][];
  /** Whether a mark there holds no digit or pointer. */
  clear: (box: Box) => boolean;
}

/** An upright window: a grid from 2 window heights above to 3 below, ±30 % of its width aside. */
function aroundBox(layout: CounterLayout, k: number): MarkSearch {
  const window = layout.window ?? layout.digits[0]!;
  const side = Math.max(16, Math.round(window[3] * 0.8 * k));
  const avoid = [...layout.digits, ...(layout.pointers ?? [])].map((b) => scaledBox(b, k));
  const [wx, wy, ww, wh] = scaledBox(window, k);
  const step = Math.max(4, Math.round(side / 3));
  const candidates: [number, number][] = [];
  for (let y = Math.max(0, Math.round(wy - 2 * wh)); y + side <= Math.round(wy + 3 * wh); y += step) {
    for (let x = Math.max(0, Math.round(wx - 0.3 * ww)); x + side <= Math.round(wx + 1.3 * ww); x += step) candidates.push([x, y]);
  }
  return { side, candidates, clear: (box) => !avoid.some((a) => overlap(a, box) > 0.05 * side * side) };
}

/** A quad window: the same search laid out along the counter's reading direction. */
function aroundQuad(layout: CounterLayout, k: number): MarkSearch {
  const quad = layout.windowQuad!.map(([x, y]) => [x * k, y * k] as [number, number]);
  const onQuad = unitSquareToQuad(quad as Quad);
  const height = (Math.hypot(quad[3]![0] - quad[0]![0], quad[3]![1] - quad[0]![1]) + Math.hypot(quad[2]![0] - quad[1]![0], quad[2]![1] - quad[1]![1])) / 2;
  const width = (Math.hypot(quad[1]![0] - quad[0]![0], quad[1]![1] - quad[0]![1]) + Math.hypot(quad[2]![0] - quad[3]![0], quad[2]![1] - quad[3]![1])) / 2;
  const side = Math.max(16, Math.round(height * 0.8));
  const candidates: [number, number][] = [];
  const du = side / 3 / width;
  const dv = side / 3 / height;
  for (let v = -2; v <= 3; v += dv) {
    for (let u = -0.3; u <= 1.3; u += du) {
      const [x, y] = applyH(onQuad, u, v);
      candidates.push([Math.round(x - side / 2), Math.round(y - side / 2)]);
    }
  }
  const dials = (layout.pointers ?? []).map((b) => scaledBox(b, k));
  // sample points of a box that must all lie outside the window (a mark never holds drum content)
  const inWindow = (x: number, y: number) => quad.every((a, i) => {
    const b = quad[(i + 1) % 4]!;
    return (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0;
  });
  const clear = ([x, y, w, h]: Box) => {
    const samples = [0, 0.5, 1].flatMap((fx) => [0, 0.5, 1].map((fy) => [x + fx * w, y + fy * h] as const));
    if (samples.some(([sx, sy]) => inWindow(sx, sy))) return false;
    if (quad.some(([qx, qy]) => qx >= x && qx <= x + w && qy >= y && qy <= y + h)) return false;
    return !dials.some((a) => overlap(a, [x, y, w, h]) > 0.05 * w * h);
  };
  return { side, candidates, clear };
}

function overlap(a: Box, b: Box): number {
  const x = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const y = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  return x * y;
}

interface Match {
  /** Mark centre on the reference (work pixels). */
  ref: [number, number];
  /** Where it was found (work pixels of the image searched). */
  at: [number, number];
  score: number;
}

/** Finds a patch in `image` within `margin` of `box`; sub-pixel peak by a parabola fit. */
function findPatch(cv: CV, image: Mat, patch: Mat, box: Box, margin: number, keep: <M extends { delete(): void }>(m: M) => M): Omit<Match, 'ref'> | undefined {
  const x0 = Math.max(0, box[0] - margin);
  const y0 = Math.max(0, box[1] - margin);
  const x1 = Math.min(image.cols, box[0] + patch.cols + margin);
  const y1 = Math.min(image.rows, box[1] + patch.rows + margin);
  if (x1 - x0 < patch.cols + 2 || y1 - y0 < patch.rows + 2) return undefined;
  const search = keep(image.roi(new cv.Rect(x0, y0, x1 - x0, y1 - y0)));
  const result = keep(new cv.Mat());
  cv.matchTemplate(search, patch, result, cv.TM_CCOEFF_NORMED);
  const { maxVal, maxLoc } = (cv.minMaxLoc as unknown as (m: Mat) => { maxVal: number; maxLoc: { x: number; y: number } })(result);
  if (!Number.isFinite(maxVal)) return undefined;
  const at = (x: number, y: number) => result.floatAt(y, x);
  const peak = (a: number, b: number, c: number) => (a - 2 * b + c < 0 ? (0.5 * (a - c)) / (a - 2 * b + c) : 0);
  const { x, y } = maxLoc;
  const dx = x > 0 && x < result.cols - 1 ? peak(at(x - 1, y), at(x, y), at(x + 1, y)) : 0;
  const dy = y > 0 && y < result.rows - 1 ? peak(at(x, y - 1), at(x, y), at(x, y + 1)) : 0;
  return { at: [x0 + x + dx + patch.cols / 2, y0 + y + dy + patch.rows / 2], score: maxVal };
}

function matchMarks(cv: CV, image: Mat, patches: { mat: Mat; box: Box }[], margin: number, keep: <M extends { delete(): void }>(m: M) => M): Match[] {
  const out: Match[] = [];
  for (const { mat, box } of patches) {
    const found = findPatch(cv, image, mat, box, margin, keep);
    if (found && found.score >= MIN_MARK_SCORE) out.push({ ...found, ref: [box[0] + mat.cols / 2, box[1] + mat.rows / 2] });
  }
  return out;
}

/** Fits reference → image for the matches: homography (≥ 6), affine (3–5) or similarity (2). */
function fit(cv: CV, matches: Match[], keep: <M extends { delete(): void }>(m: M) => M): { h: Homography; inliers: boolean[] } | undefined {
  const n = matches.length;
  if (n < 2) return undefined;
  if (n === 2) return { h: similarity(matches[0]!, matches[1]!), inliers: [true, true] };
  const src = keep(cv.matFromArray(n, 1, cv.CV_32FC2, matches.flatMap((m) => m.ref)));
  const dst = keep(cv.matFromArray(n, 1, cv.CV_32FC2, matches.flatMap((m) => m.at)));
  const mask = keep(new cv.Mat());
  let h: Homography;
  // a homography through 4–5 points fits almost anything: only trust it with redundancy
  if (n >= 6) {
    const H = keep(cv.findHomography(src, dst, cv.RANSAC, 2, mask));
    if (H.empty()) return undefined;
    h = Array.from(H.data64F) as Homography;
  } else {
    const A = keep(cv.estimateAffine2D(src, dst, mask));
    if (A.empty()) return undefined;
    const a = Array.from(A.data64F as Float64Array);
    h = [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, 0, 0, 1];
  }
  const inliers = Array.from(mask.data as Uint8Array).map((v) => v !== 0);
  return { h, inliers: inliers.length === n ? inliers : matches.map(() => true) };
}

/** The rotation + uniform scale + shift taking a's and b's reference points to where they were found. */
function similarity(a: Match, b: Match): Homography {
  const [rx, ry] = [b.ref[0] - a.ref[0], b.ref[1] - a.ref[1]];
  const [fx, fy] = [b.at[0] - a.at[0], b.at[1] - a.at[1]];
  const d = rx * rx + ry * ry;
  const c = (rx * fx + ry * fy) / d;
  const s = (rx * fy - ry * fx) / d;
  return [c, -s, a.at[0] - (c * a.ref[0] - s * a.ref[1]), s, c, a.at[1] - (s * a.ref[0] + c * a.ref[1]), 0, 0, 1];
}

/** Registers a frame to the layout's reference. See `Registration`. */
export async function registerFrame(frame: DecodedFrame, layout: CounterLayout): Promise<Registration> {
  const alignment = layout.alignment;
  if (!alignment) return { status: 'no-marks' };
  const k = alignment.scale;
  const size = workSize(layout, k);
  const grey = await greyAt(frame, size.width, size.height);
  const { cv } = await opencv();
  return withMats((keep) => {
    const image = keep(matOf(cv, grey, size.width, size.height, 1));
    const patches = alignment.marks.map((m) => ({
      box: scaledBox(m.box, k),
      mat: keep(matOf(cv, Buffer.from(m.patch.data, 'base64'), m.patch.width, m.patch.height, 1)),
    }));
    // a straight camera first; a strongly rotated one is found by first undoing a guessed rotation
    let failed: Extract<Registration, { status: 'not-aligned' }> | undefined;
    for (const angle of PRIOR_ROTATIONS) {
      const prior = rotationAbout(angle, size.width / 2, size.height / 2);
      const attempt = attemptRegistration(cv, image, patches, prior, keep);
      const outcome = attempt.status === 'aligned' ? finish(attempt.h, attempt) : attempt;
      if (outcome.status === 'aligned') return outcome;
      failed ??= outcome;
    }
    return failed!;
  });

  function finish(hWork: Homography, a: { marks: MarkCounts; residual: number; score: number }): Exclude<Registration, { status: 'no-marks' }> {
    // reference pixels → frame pixels
    const h = multiplyH(scaleH(frame.width / size.width, frame.height / size.height), multiplyH(hWork, scaleH(k, k)));
    const motion = motionOf(h, layout, frame);
    const residualPx = a.residual / k;
    if (residualPx > MAX_RESIDUAL_PX / k) {
      return { status: 'not-aligned', reason: `alignment marks disagree by ${round(residualPx)} px`, marks: a.marks, score: a.score };
    }
    if (!plausible(motion)) {
      const reason = `implausible camera motion (scale ${motion.scale}×${motion.scaleY}, rotation ${motion.rotationDeg}°, shear ${motion.shearDeg}°)`;
      return { status: 'not-aligned', reason, marks: a.marks, score: a.score };
    }
    const shown = { shiftPx: motion.shiftPx, rotationDeg: motion.rotationDeg, scale: motion.scale };
    return { status: 'aligned', homography: h.map((v) => Number(v.toPrecision(9))) as Homography, marks: a.marks, residualPx: round(residualPx), score: a.score, motion: shown };
  }
}

/** Rotations (degrees) tried in turn as the starting guess of the camera's unknown rotation. */
const PRIOR_ROTATIONS = [0, -8, 8, -16, 16];

function rotationAbout(deg: number, cx: number, cy: number): Homography {
  const a = (deg * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  return [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy, 0, 0, 1];
}

type Attempt =
  | { status: 'aligned'; h: Homography; marks: MarkCounts; residual: number; score: number }
  | { status: 'not-aligned'; reason: string; marks: MarkCounts; score: number };

/**
 * One registration from a starting guess `prior` (reference work pixels → frame work pixels):
 * the frame seen through the guess, marks searched widely, a fit, then the frame seen through the
 * fit and the marks searched again close by.
 */
function attemptRegistration(
  cv: CV,
  image: Mat,
  patches: { mat: Mat; box: Box }[],
  prior: Homography,
  keep: <M extends { delete(): void }>(m: M) => M,
): Attempt {
  const total = patches.length;
  const size = new cv.Size(image.cols, image.rows);
  const through = (h: Homography) => {
    const out = keep(new cv.Mat());
    cv.warpPerspective(image, out, keep(cv.matFromArray(3, 3, cv.CV_64F, h)), size, cv.INTER_LINEAR + cv.WARP_INVERSE_MAP, cv.BORDER_REPLICATE);
    return out;
  };
  const identity = prior.every((v, i) => v === IDENTITY[i]);
  const first = matchMarks(cv, identity ? image : through(prior), patches, Math.round(SEARCH * image.cols), keep).map((m) => ({
    ...m,
    at: applyH(prior, m.at[0], m.at[1]),
  }));
  const meanScore = (ms: Match[]) => round(ms.reduce((a, m) => a + m.score, 0) / Math.max(1, ms.length));
  const coarse = fit(cv, first, keep);
  if (!coarse) {
    return { status: 'not-aligned', reason: `only ${first.length} of ${total} alignment marks found`, marks: { total, found: first.length, inliers: 0 }, score: meanScore(first) };
  }
  const second = matchMarks(cv, through(coarse.h), patches, REFINE_SEARCH_PX, keep).map((m) => ({ ...m, at: applyH(coarse.h, m.at[0], m.at[1]) }));
  const refined = (second.length >= 2 ? fit(cv, second, keep) : undefined) ?? { h: coarse.h, inliers: first.map(() => true) };
  const used = second.length >= 2 ? second : first;
  const kept = used.filter((_, i) => refined.inliers[i]);
  const residual = Math.sqrt(
    kept.reduce((a, m) => {
      const [x, y] = applyH(refined.h, m.ref[0], m.ref[1]);
      return a + (x - m.at[0]) ** 2 + (y - m.at[1]) ** 2;
    }, 0) / Math.max(1, kept.length),
  );
  const marks = { total, found: used.length, inliers: kept.length };
  // an exactly determined fit (3 points, affine) proves nothing: want one more mark to agree
  if (kept.length < Math.min(total, 4)) return { status: 'not-aligned', reason: `only ${kept.length} of ${total} alignment marks agree`, marks, score: meanScore(kept) };
  return { status: 'aligned', h: refined.h, marks, residual, score: meanScore(kept) };
}

function motionOf(h: Homography, layout: CounterLayout, frame: DecodedFrame) {
  const { width: rw, height: rh } = layout.reference;
  const sx = frame.width / rw;
  const sy = frame.height / rh;
  // compare with the reference merely scaled to the frame
  const rel = multiplyH(invertH(scaleH(sx, sy)), h);
  const [cx, cy] = [rw / 2, rh / 2];
  const [px, py] = applyH(rel, cx, cy);
  const [qx, qy] = applyH(rel, cx + 100, cy);
  const [ux, uy] = applyH(rel, cx, cy + 100);
  const rotationDeg = (Math.atan2(qy - py, qx - px) * 180) / Math.PI;
  const down = (Math.atan2(uy - py, ux - px) * 180) / Math.PI;
  return {
    shiftPx: [round(px - cx), round(py - cy)] as [number, number],
    rotationDeg: round(rotationDeg),
    scale: round(Math.hypot(qx - px, qy - py) / 100),
    scaleY: round(Math.hypot(ux - px, uy - py) / 100),
    shearDeg: round(down - rotationDeg - 90),
  };
}

/** A camera that was bumped or re-mounted, not a different scene: moderate zoom, rotation and skew. */
function plausible(m: ReturnType<typeof motionOf>): boolean {
  const zoomOk = (z: number) => z > 0.75 && z < 1.33;
  return zoomOk(m.scale) && zoomOk(m.scaleY) && Math.abs(m.scale / m.scaleY - 1) < 0.15 && Math.abs(m.rotationDeg) <= 25 && Math.abs(m.shearDeg) < 10;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
