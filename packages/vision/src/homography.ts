import type { Box } from '@metertwin/contracts';

/** A 3×3 projective transform, row-major: [x', y', w'] = H · [x, y, 1]. */
export type Homography = [number, number, number, number, number, number, number, number, number];

export const IDENTITY: Homography = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function applyH(h: Homography, x: number, y: number): [number, number] {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

/** a · b (apply b first). */
export function multiplyH(a: Homography, b: Homography): Homography {
  const r = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return r as Homography;
}

export function invertH(h: Homography): Homography {
  const [a, b, c, d, e, f, g, k, l] = h;
  const A = e * l - f * k;
  const B = -(d * l - f * g);
  const C = d * k - e * g;
  const det = a * A + b * B + c * C;
  const r: Homography = [A, -(b * l - c * k), b * f - c * e, B, a * l - c * g, -(a * f - c * d), C, -(a * k - b * g), a * e - b * d];
  return r.map((v) => v / det) as Homography;
}

export const scaleH = (sx: number, sy: number): Homography => [sx, 0, 0, 0, sy, 0, 0, 0, 1];
export const translateH = (tx: number, ty: number): Homography => [1, 0, tx, 0, 1, ty, 0, 0, 1];

/** The four corners of a box, clockwise from top-left. */
export function corners(box: Box): [number, number][] {
  const [x, y, w, h] = box;
  return [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ];
}

/** The axis-aligned bounding box of a box mapped through `h`, rounded and clamped inside `size`. */
export function mapBox(h: Homography, box: Box, size: { width: number; height: number }): Box {
  const pts = corners(box).map(([x, y]) => applyH(h, x, y));
  const x0 = Math.min(size.width - 1, Math.max(0, Math.round(Math.min(...pts.map((p) => p[0])))));
  const y0 = Math.min(size.height - 1, Math.max(0, Math.round(Math.min(...pts.map((p) => p[1])))));
  const x1 = Math.min(size.width, Math.round(Math.max(...pts.map((p) => p[0]))));
  const y1 = Math.min(size.height, Math.round(Math.max(...pts.map((p) => p[1]))));
  return [x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)];
}
