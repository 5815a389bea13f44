import type { Box, CounterLayout } from '@metertwin/contracts';

export interface Size {
  width: number;
  height: number;
}

/** Scales a box drawn on a `from`-sized image onto a `to`-sized image and clamps it inside `to`. */
export function scaleBox(box: Box, from: Size, to: Size): Box {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const x0 = clamp(Math.round(box[0] * sx), 0, to.width - 1);
  const y0 = clamp(Math.round(box[1] * sy), 0, to.height - 1);
  const x1 = clamp(Math.round((box[0] + box[2]) * sx), x0 + 1, to.width);
  const y1 = clamp(Math.round((box[1] + box[3]) * sy), y0 + 1, to.height);
  return [x0, y0, x1 - x0, y1 - y0];
}

/** The layout's boxes expressed on a frame of another size (the camera's resolution may differ). */
export function scaleLayout(layout: CounterLayout, frame: Size): CounterLayout {
  const s = (b: Box) => scaleBox(b, layout.reference, frame);
  return {
    v: 1,
    reference: { width: frame.width, height: frame.height },
    ...(layout.window ? { window: s(layout.window) } : {}),
    digits: layout.digits.map(s),
    pointers: (layout.pointers ?? []).map(s),
  };
}

/** The smallest box holding all the given boxes. */
export function unionBox(boxes: Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2]));
  const y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [x0, y0, x1 - x0, y1 - y0];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Intersection over union of two boxes: 1 for the same box, 0 when they do not touch. */
export function iou(a: Box, b: Box): number {
  const x = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const y = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = x * y;
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}
