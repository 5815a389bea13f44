import { contourBoxes } from './contour-boxes.js';
import type { CV, Mat } from './opencv.js';

/** A glyph-like blob: centre, its long side (the glyph's height), short side, and the long side's direction (degrees). */
export interface Glyph {
  cx: number;
  cy: number;
  h: number;
  w: number;
  /** Direction of the glyph's long axis, radians, 0..π. */
  axis: number;
}

/** A row of glyphs evenly spaced along a line: the drum row of a counter, found by its digits. */
export interface GlyphRow {
  glyphs: Glyph[];
  /** Unit vector along the row (reading direction left to right on the photo). */
  dir: [number, number];
  /** Distance between neighbouring drums, pixels. */
  pitch: number;
  /** Median glyph height. */
  height: number;
  /** Positions of the first and last drum centres along `dir`, from `origin` (the members' centroid). */
  origin: [number, number];
  from: number;
  to: number;
  score: number;
}

/** Glyph candidates of both polarities: contours of a local (adaptive) threshold whose rotated boxes are digit-shaped. */
export function findGlyphs(cv: CV, grey: Mat, keep: <M extends { delete(): void }>(m: M) => M): Glyph[] {
  const H = grey.rows;
  const glyphs: Glyph[] = [];
  const block = Math.max(15, Math.round(H / 12) | 1);
  for (const polarity of [cv.THRESH_BINARY, cv.THRESH_BINARY_INV]) {
    const bin = keep(new cv.Mat());
    cv.adaptiveThreshold(grey, bin, 255, cv.ADAPTIVE_THRESH_MEAN_C, polarity, block, polarity === cv.THRESH_BINARY ? -12 : 12);
    for (const { cx, cy, long: h, short: w, angle, area } of contourBoxes(cv, bin, keep)) {
      if (h < H * 0.03 || h > H * 0.3) continue;
      const ratio = h / Math.max(1, w);
      if (ratio < 1.15 || ratio > 6) continue;
      const fill = area / (w * h);
      // a digit touching its cell's dark borders is nearly solid; a solid bar is a stroke, no digit
      if (fill < 0.12 || fill > 0.95 || (fill > 0.85 && ratio > 2.5)) continue;
      const axis = (((angle + 180) % 180) * Math.PI) / 180;
      glyphs.push({ cx, cy, h, w, axis });
    }
  }
  return glyphs;
}

/**
 * Every row of glyphs of one height whose centres lie on a line across their own long axis, at a
 * regular pitch (one per set of members), the most glyphs most evenly spaced first. Tries every pair
 * of nearby similar glyphs as a seed (a few hundred candidates at most); a pair up to two glyph
 * heights apart, as drums often stand wider apart than their digits are tall.
 */
export function candidateRows(glyphs: Glyph[]): GlyphRow[] {
  const rows = new Map<string, GlyphRow>();
  for (let i = 0; i < glyphs.length; i++) {
    const a = glyphs[i]!;
    for (let j = 0; j < glyphs.length; j++) {
      if (i === j) continue;
      const b = glyphs[j]!;
      if (b.h > a.h * 1.3 || a.h > b.h * 1.3) continue;
      const dx = b.cx - a.cx;
      const dy = b.cy - a.cy;
      const d = Math.hypot(dx, dy);
      const h = (a.h + b.h) / 2;
      if (dx < 0 || d < h * 0.45 || d > h * 2) continue;
      const dir: [number, number] = [dx / d, dy / d];
      // the row runs across its glyphs: each glyph's long axis is near the row's normal
      if (!across(a, dir) || !across(b, dir)) continue;
      const row = growRow(glyphs, a, dir, d, h);
      if (!row) continue;
      const key = row.glyphs.map((g) => glyphs.indexOf(g)).sort((x, y) => x - y).join(',');
      if ((rows.get(key)?.score ?? -1) < row.score) rows.set(key, row);
    }
  }
  return [...rows.values()].sort((x, y) => y.score - x.score);
}

function across(g: Glyph, dir: [number, number]): boolean {
  return Math.abs(Math.cos(g.axis) * dir[0] + Math.sin(g.axis) * dir[1]) < Math.sin((25 * Math.PI) / 180);
}

function growRow(glyphs: Glyph[], seed: Glyph, dir: [number, number], pitch: number, h: number): GlyphRow | undefined {
  const slots = new Map<number, Glyph>();
  for (const g of glyphs) {
    if (g.h > h * 1.35 || g.h < h / 1.35 || !across(g, dir)) continue;
    const along = (g.cx - seed.cx) * dir[0] + (g.cy - seed.cy) * dir[1];
    const off = -(g.cx - seed.cx) * dir[1] + (g.cy - seed.cy) * dir[0];
    if (Math.abs(off) > h * 0.2) continue;
    const k = Math.round(along / pitch);
    if (Math.abs(along - k * pitch) > pitch * 0.2 || Math.abs(k) > 12) continue;
    const have = slots.get(k);
    // of two blobs at one drum (a glyph and its hole, or both polarities), keep the taller
    if (!have || g.h > have.h) slots.set(k, g);
  }
  const ks = [...slots.keys()].sort((x, y) => x - y);
  // the longest run without a gap of more than one drum (a drum half-way between digits may show no glyph)
  let run: number[] = [];
  let cur: number[] = [];
  for (const k of ks) {
    if (cur.length && k - cur[cur.length - 1]! > 2) cur = [];
    cur.push(k);
    if (cur.length > run.length) run = [...cur];
  }
  if (run.length < 3) return undefined;
  const members = run.map((k) => slots.get(k)!);
  // refit: the row's direction through the members' centres, the pitch from their drum indices
  const n = members.length;
  const mx = members.reduce((a, g) => a + g.cx, 0) / n;
  const my = members.reduce((a, g) => a + g.cy, 0) / n;
  const mk = run.reduce((a, k) => a + k, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const g of members) {
    sxx += (g.cx - mx) ** 2;
    sxy += (g.cx - mx) * (g.cy - my);
    syy += (g.cy - my) ** 2;
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let fitted: [number, number] = [Math.cos(theta), Math.sin(theta)];
  if (fitted[0] * dir[0] + fitted[1] * dir[1] < 0) fitted = [-fitted[0], -fitted[1]];
  const along = members.map((g) => (g.cx - mx) * fitted[0] + (g.cy - my) * fitted[1]);
  let skk = 0;
  let ska = 0;
  run.forEach((k, i) => {
    skk += (k - mk) ** 2;
    ska += (k - mk) * along[i]!;
  });
  const fittedPitch = ska / skk;
  if (!(fittedPitch > 0)) return undefined;
  // how far the centres stray from an even row, in pitches: 0 for a perfect row
  const stray = Math.sqrt(run.reduce((a, k, i) => a + (along[i]! - (k - mk) * fittedPitch) ** 2, 0) / n) / fittedPitch;
  const heights = members.map((g) => g.h).sort((x, y) => x - y);
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const drums = last - first + 1;
  return {
    glyphs: members,
    dir: fitted,
    pitch: fittedPitch,
    height: heights[Math.floor(n / 2)]!,
    origin: [mx, my],
    from: (first - mk) * fittedPitch,
    to: (last - mk) * fittedPitch,
    score: (n + n / drums) * Math.max(0, 1 - 4 * stray),
  };
}

/**
 * The row with the height and line of its drums' whole digits. A row may be found on parts of its
 * digits (the counter of a 0 or a 4, a bowl of a 3, one polarity's fragment), which would cut its drums
 * too short; the whole digit is the tallest glyph-like blob at the same drum that holds the member
 * (it spans the member across the row) and stays within its drum's pitch. The row keeps its drums and
 * pitch; only its height and its line across move, to those blobs' median.
 */
export function wholeDigits(glyphs: Glyph[], row: GlyphRow): GlyphRow {
  const along = (g: Glyph) => (g.cx - row.origin[0]) * row.dir[0] + (g.cy - row.origin[1]) * row.dir[1];
  const off = (g: Glyph) => -(g.cx - row.origin[0]) * row.dir[1] + (g.cy - row.origin[1]) * row.dir[0];
  const whole = row.glyphs.map((m) =>
    glyphs
      .filter((g) => g.h >= m.h && g.w < row.pitch && across(g, row.dir) && Math.abs(along(g) - along(m)) < row.pitch * 0.25 && Math.abs(off(g) - off(m)) < (g.h - m.h) / 2 + 1)
      .reduce((a, g) => (g.h > a.h ? g : a), m),
  );
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const shift = median(whole.map(off));
  return {
    ...row,
    height: Math.max(row.height, median(whole.map((g) => g.h))),
    origin: [row.origin[0] - shift * row.dir[1], row.origin[1] + shift * row.dir[0]],
  };
}

/** What one drum-sized cell of the row holds, sampled along the row's own axes. */
interface CellStats {
  /** The cell's background: its median grey. */
  background: number;
  /** Share of the cell's pixels on the glyphs' side of the ink level. */
  ink: number;
  /** Where that ink sits across the cell, 0 (left edge) – 1 (right edge). */
  inkCentre: number;
  /** Share of the cell's height from its first to its last row whose ink crosses a stroke (STROKE). */
  inkSpan: number;
}

/** A cell's grey values, row by row, `cols` per row. */
interface Cell {
  px: number[];
  cols: number;
}

/**
 * The least share of a drum cell's height its ink spans. The cell is 1.1 glyph heights tall, so a
 * digit of the row's height spans about 0.9 of it, and a drum half-way between two digits (the foot
 * of one above the head of the next) as much. Print beside a counter (the unit, m³ or kWh, in
 * lower-case or superscript letters) is set smaller than the drums' digits. On the 26 real photos of
 * @metertwin/sample-data the cells that pass every other test span 0.42–0.53 (the unit) or 0.72–1
 * (drums), on the 12 demo photos of docs/models.md 0.71–0.90: the threshold is the gap's middle.
 */
const SHORTER_PRINT = 0.62;
/**
 * A row of a cell holds ink when its ink crosses at least a stroke: 6% of the cell's width (a digit's
 * stroke is about a tenth of its height, the cell about a glyph height wide), so a thin 1 counts as
 * much as a bar; 4–8% find the same drums on both photo sets.
 */
const STROKE = 0.06;

/**
 * A drum at either end of the row that shows no whole glyph (caught half-way between two digits, the
 * usual state of a counter's last drum) is added when its cell looks like the row's drums: a
 * background like theirs and ink of the glyphs' polarity in its middle. A label or the meter's face
 * beside the counter (ink off to one side) and the dark housing (no ink) are not, nor is the unit
 * printed next to the counter (m³, kWh): its ink spans less of the cell's height than the drums' do
 * (see SHORTER_PRINT). At most two drums per end.
 */
export function extendRow(grey: Uint8Array, width: number, height: number, row: GlyphRow): GlyphRow {
  const at = (along: number) => cellPixels(grey, width, height, row, along);
  const members = row.glyphs.map((g) => at((g.cx - row.origin[0]) * row.dir[0] + (g.cy - row.origin[1]) * row.dir[1]));
  if (members.some((m) => m === undefined)) return row;
  const all = Uint8Array.from(members.flatMap((m) => m!.px)).sort();
  const median = all[all.length >> 1]!;
  const [low, high] = [all[Math.floor(all.length * 0.03)]!, all[Math.floor(all.length * 0.97)]!];
  // glyphs brighter than their drums (white on black) or darker (black on white)
  const bright = high - median >= median - low;
  const inkLevel = (median + (bright ? high : low)) / 2;
  const isInk = (v: number) => (bright ? v > inkLevel : v < inkLevel);
  const stats = ({ px, cols }: Cell): CellStats => {
    const sorted = [...px].sort((a, b) => a - b);
    let ink = 0;
    let xs = 0;
    const rowInk = new Array<number>(px.length / cols).fill(0);
    px.forEach((v, i) => {
      if (!isInk(v)) return;
      ink++;
      xs += (i % cols) / (cols - 1);
      rowInk[Math.floor(i / cols)]!++;
    });
    const inked = rowInk.flatMap((n, r) => (n >= Math.max(2, cols * STROKE) ? [r] : []));
    const inkSpan = inked.length ? (inked[inked.length - 1]! - inked[0]! + 1) / rowInk.length : 0;
    return { background: sorted[sorted.length >> 1]!, ink: ink / px.length, inkCentre: ink ? xs / ink : 0.5, inkSpan };
  };
  const inkOfGlyph = Math.min(...members.map((m) => stats(m!).ink));
  const spread = Math.abs(inkLevel - median);
  const likeDrum = (cell: Cell | undefined) => {
    if (!cell) return false;
    const { background, ink, inkCentre, inkSpan } = stats(cell);
    return (
      Math.abs(background - median) < spread * 0.35 &&
      ink >= inkOfGlyph * 0.35 &&
      Math.abs(inkCentre - 0.5) < 0.15 &&
      inkSpan >= SHORTER_PRINT
    );
  };
  let { from, to } = row;
  for (let i = 0; i < 2 && likeDrum(at(to + row.pitch)); i++) to += row.pitch;
  for (let i = 0; i < 2 && likeDrum(at(from - row.pitch)); i++) from -= row.pitch;
  return { ...row, from, to };
}

/** The drum cell centred `along` the row (0.8 pitch × 1.1 glyph heights); undefined if it leaves the image. */
function cellPixels(grey: Uint8Array, width: number, height: number, row: GlyphRow, along: number): Cell | undefined {
  const [dx, dy] = row.dir;
  const cx = row.origin[0] + along * dx;
  const cy = row.origin[1] + along * dy;
  const cols = Math.max(2, Math.round(row.pitch * 0.8));
  const rows = Math.max(2, Math.round(row.height * 1.1));
  const px: number[] = [];
  for (let r = 0; r < rows; r++) {
    const v = r - rows / 2;
    for (let c = 0; c < cols; c++) {
      const u = c - cols / 2;
      const x = Math.round(cx + u * dx - v * dy);
      const y = Math.round(cy + u * dy + v * dx);
      if (x < 0 || y < 0 || x >= width || y >= height) return undefined;
      px.push(grey[y * width + x]!);
    }
  }
  return { px, cols };
}
