import { CounterLayoutSchema, type Box, type Circle, type CounterLayout, type Quad } from '@metertwin/contracts';
import { applyH, multiplyH, scaleH, translateH, type Homography } from './homography.js';
import type { Size } from './layout.js';

/**
 * The projective map of the unit square onto `quad` ((0,0) → TL, (1,0) → TR, (1,1) → BR, (0,1) → BL),
 * in closed form (Heckbert, "Fundamentals of Texture Mapping", 1989).
 */
export function unitSquareToQuad(quad: Quad): Homography {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  if (Math.abs(sx) < 1e-9 && Math.abs(sy) < 1e-9) return [x1 - x0, x3 - x0, x0, y1 - y0, y3 - y0, y0, 0, 0, 1];
  const [dx1, dx2, dy1, dy2] = [x1 - x2, x3 - x2, y1 - y2, y3 - y2];
  const det = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / det;
  const h = (dx1 * sy - sx * dy1) / det;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);

/** The size of the level strip a quad is rectified to: its mean width and mean height. */
export function stripSize(quad: Quad): Size {
  return { width: (dist(quad[0], quad[1]) + dist(quad[3], quad[2])) / 2, height: (dist(quad[0], quad[3]) + dist(quad[1], quad[2])) / 2 };
}

/** Drum `i` of `n` as a quad: the window split into equal cells along its reading direction. */
export function drumQuad(quad: Quad, i: number, n: number): Quad {
  const h = unitSquareToQuad(quad);
  const at = (u: number, v: number): [number, number] => applyH(h, u, v);
  return [at(i / n, 0), at((i + 1) / n, 0), at((i + 1) / n, 1), at(i / n, 1)];
}

/** A pixel grid of `size` laid onto `quad`: grid pixel → quad's image pixel. */
export function gridOnto(quad: Quad, size: Size): Homography {
  return multiplyH(unitSquareToQuad(quad), scaleH(1 / size.width, 1 / size.height));
}

/** The counter's reading direction in the image, radians (0 = level, left to right; y down). */
export function readingAngle(quad: Quad): number {
  const [tl, tr, br, bl] = quad;
  return Math.atan2(tr[1] - tl[1] + br[1] - bl[1], tr[0] - tl[0] + br[0] - bl[0]);
}

/**
 * A dial's square (side 2r) turned into the counter's orientation, so the dial's "0" (the counter's
 * up) is the crop's top: crop pixel → image pixel.
 */
export function dialOnto([cx, cy, r]: Circle, angle: number, side = 2 * r): Homography {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const k = (2 * r) / side;
  return multiplyH(translateH(cx, cy), multiplyH([c, -s, 0, s, c, 0, 0, 0, 1], multiplyH(scaleH(k, k), translateH(-side / 2, -side / 2))));
}

/** The four corners of a dial's turned square. */
export function dialCorners(dial: Circle, angle: number): Quad {
  const h = dialOnto(dial, angle);
  const d = 2 * dial[2];
  return [applyH(h, 0, 0), applyH(h, d, 0), applyH(h, d, d), applyH(h, 0, d)];
}

/** The smallest upright box holding the points, rounded outwards and clamped inside `size`. */
export function boundsOf(points: readonly (readonly [number, number])[], size: Size): Box {
  const x0 = Math.max(0, Math.floor(Math.min(...points.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...points.map((p) => p[1]))));
  const x1 = Math.min(size.width, Math.ceil(Math.max(...points.map((p) => p[0]))));
  const y1 = Math.min(size.height, Math.ceil(Math.max(...points.map((p) => p[1]))));
  return [x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)];
}

/**
 * The CounterLayout of a counter marked as a quadrilateral on a `reference`-sized photo: the quad and
 * dials as given, plus the upright bounds of each drum cell and dial (for drawing and counting).
 * Throws a ZodError saying what is wrong (a crossed, tiny or outside quad, a dial off the photo).
 */
export function quadLayout(counter: { windowQuad: Quad; drums: number; dials?: Circle[] }, reference: Size): CounterLayout {
  const { windowQuad, drums } = counter;
  const dials = counter.dials ?? [];
  const angle = readingAngle(windowQuad);
  const cells = Array.from({ length: drums }, (_, i) => drumQuad(windowQuad, i, drums));
  return CounterLayoutSchema.parse({
    v: 1,
    reference: { width: reference.width, height: reference.height },
    window: boundsOf(windowQuad, reference),
    digits: cells.map((c) => boundsOf(c, reference)),
    pointers: dials.map((d) => boundsOf(dialCorners(d, angle), reference)),
    windowQuad,
    ...(dials.length ? { dials } : {}),
  });
}

/** A layout's quad and dials mapped through `h` (reference → frame pixels). */
export function mapQuad(h: Homography, quad: Quad): Quad {
  return quad.map(([x, y]) => applyH(h, x, y).map(round2)) as Quad;
}

/** A dial mapped through `h`: its centre, and its radius measured along the counter's direction. */
export function mapCircle(h: Homography, [cx, cy, r]: Circle, angle: number): Circle {
  const [x, y] = applyH(h, cx, cy);
  const [ex, ey] = applyH(h, cx + r * Math.cos(angle), cy + r * Math.sin(angle));
  return [round2(x), round2(y), round2(Math.hypot(ex - x, ey - y))];
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
