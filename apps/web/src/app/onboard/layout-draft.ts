import {
  dialBounds,
  quadDigits,
  splitWindow,
  type Box,
  type EditableLayout,
  type Quad,
} from '../../components/LayoutEditor';

/**
 * The layout being drawn on a snapshot, between the editor and the server: onboarding and a meter's
 * re-reference both start from the snapshot's suggestion and send the same counter layout.
 */

/** A snapshot as /api/onboard/snapshot (and a meter's reference photo) answers it. */
export interface Snapshot {
  image: string;
  width: number;
  height: number;
  /** A turned window comes as its corners (windowQuad), in reading order, with the drum count. */
  suggestion: {
    layout: { window?: Box; digits: Box[]; windowQuad?: Quad };
    confidence: number;
    angleDeg: number;
  } | null;
}

/** A counter window in the middle of the photo when detection found none. */
function defaultLayout(width: number, height: number, digits: number): EditableLayout {
  const window: Box = [width * 0.25, height * 0.4, width * 0.5, height * 0.14];
  return { window, digits: splitWindow(window, digits) };
}

/** The starting layout from the snapshot: the suggested quad or boxes, else a window in the middle with `drums` drums. */
export function startingLayout(s: Snapshot, drums?: number): EditableLayout {
  const suggested = s.suggestion?.layout;
  if (suggested?.windowQuad) {
    return { window: suggested.window!, digits: suggested.digits, quad: suggested.windowQuad };
  }
  return suggested?.window
    ? { window: suggested.window, digits: suggested.digits }
    : defaultLayout(s.width, s.height, drums ?? suggested?.digits.length ?? 8);
}

/** The counter layout the server takes: a turned counter is sent as its corners and dials, the server derives the boxes. */
export function counterLayout(l: EditableLayout, s: { width: number; height: number }) {
  const tenth = (v: number) => Math.round(v * 10) / 10;
  const dials = l.quad ? (l.dials ?? []).map((d) => d.map(tenth)) : [];
  return {
    v: 1,
    reference: { width: s.width, height: s.height },
    window: l.window.map(Math.round),
    digits: (l.quad ? quadDigits(l.quad, l.digits.length) : l.digits).map((b) => b.map(Math.round)),
    pointers: (l.quad ? (l.dials ?? []).map(dialBounds) : []).map((b) => b.map(Math.round)),
    ...(l.quad ? { windowQuad: l.quad.map((p) => p.map(tenth)) } : {}),
    ...(dials.length ? { dials } : {}),
  };
}
