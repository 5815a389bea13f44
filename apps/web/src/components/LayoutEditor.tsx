'use client';

import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import styles from './layout-editor.module.css';

export type Box = [number, number, number, number];
export type Point = [number, number];
/** Corners top-left, top-right, bottom-right, bottom-left, in the order the digits read. */
export type Quad = [Point, Point, Point, Point];
export interface EditableLayout {
  window: Box;
  digits: Box[];
  /** A turned or tilted counter: the window's four corners (then `digits` only counts the drums). */
  quad?: Quad;
}

/** The four corners of a box, as a quad. */
export function boxQuad([x, y, w, h]: Box): Quad {
  return [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ];
}

/**
 * Where the quad's drum cuts run, for drawing: points at equal steps along its top and bottom edge
 * (the server cuts the drums through the perspective transform; on a counter's few degrees of
 * perspective the two differ by well under a pixel per drum).
 */
export function quadCuts(quad: Quad, n: number): [Point, Point][] {
  const along = (a: Point, b: Point, t: number): Point => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
  return Array.from({ length: n - 1 }, (_, i) => [along(quad[0], quad[1], (i + 1) / n), along(quad[3], quad[2], (i + 1) / n)]);
}

/** Upright bounds of each drum's cell of the quad (what the server replaces with exact bounds). */
export function quadDigits(quad: Quad, n: number): Box[] {
  const edges = [[quad[0], quad[3]] as [Point, Point], ...quadCuts(quad, n), [quad[1], quad[2]] as [Point, Point]];
  return Array.from({ length: n }, (_, i) => {
    const pts = [...edges[i]!, ...edges[i + 1]!];
    const x0 = Math.max(0, Math.min(...pts.map((p) => p[0])));
    const y0 = Math.max(0, Math.min(...pts.map((p) => p[1])));
    return [x0, y0, Math.max(1, Math.max(...pts.map((p) => p[0])) - x0), Math.max(1, Math.max(...pts.map((p) => p[1])) - y0)];
  });
}

const CORNER_NAMES = ['Top-left', 'Top-right', 'Bottom-right', 'Bottom-left'];

/** `n` equal digit boxes inside the window, with a small gap between drums. */
export function splitWindow(window: Box, n: number): Box[] {
  const [x, y, w, h] = window;
  const step = w / n;
  const inset = step * 0.08;
  return Array.from(
    { length: n },
    (_, i) => [x + i * step + inset, y + h * 0.06, step - 2 * inset, h * 0.88] as Box,
  );
}

const clampBox = (b: Box, width: number, height: number): Box => {
  const w = Math.min(Math.max(b[2], 4), width);
  const h = Math.min(Math.max(b[3], 4), height);
  return [Math.min(Math.max(b[0], 0), width - w), Math.min(Math.max(b[1], 0), height - h), w, h];
};

type Target = { kind: 'window' } | { kind: 'digit'; index: number } | { kind: 'corner'; index: number };
interface Drag {
  target: Target;
  mode: 'move' | 'resize';
  startX: number;
  startY: number;
  box: Box;
  scale: number;
}

/**
 * The photo with the counter window and each digit box drawn over it. Boxes are dragged with the
 * pointer (the corner handle resizes) or, once focused, moved with the arrow keys (Shift: resize;
 * Alt: 10× steps). Coordinates are photo pixels.
 */
export function LayoutEditor({
  image,
  width,
  height,
  layout,
  onChange,
}: {
  image: string;
  width: number;
  height: number;
  layout: EditableLayout;
  onChange: (layout: EditableLayout) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<Drag | null>(null);

  // a corner is handled as a 0×0 box at its point
  const get = (t: Target): Box => {
    if (t.kind === 'corner') return [...layout.quad![t.index]!, 0, 0];
    return t.kind === 'window' ? layout.window : layout.digits[t.index]!;
  };
  const set = (t: Target, box: Box) => {
    if (t.kind === 'corner') {
      const p: Point = [Math.min(Math.max(box[0], 0), width), Math.min(Math.max(box[1], 0), height)];
      onChange({ ...layout, quad: layout.quad!.map((c, i) => (i === t.index ? p : c)) as Quad });
      return;
    }
    const b = clampBox(box, width, height);
    if (t.kind === 'window') onChange({ ...layout, window: b });
    else onChange({ ...layout, digits: layout.digits.map((d, i) => (i === t.index ? b : d)) });
  };

  const start = (t: Target, mode: Drag['mode']) => (e: PointerEvent<SVGElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const rect = svg.current!.getBoundingClientRect();
    drag.current = {
      target: t,
      mode,
      startX: e.clientX,
      startY: e.clientY,
      box: get(t),
      scale: width / rect.width,
    };
    (e.target as Element).setPointerCapture(e.pointerId);
    (e.target as SVGElement).focus?.();
  };
  const move = (e: PointerEvent<SVGElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = (e.clientX - d.startX) * d.scale;
    const dy = (e.clientY - d.startY) * d.scale;
    const [x, y, w, h] = d.box;
    set(d.target, d.mode === 'move' ? [x + dx, y + dy, w, h] : [x, y, w + dx, h + dy]);
  };
  const end = () => {
    drag.current = null;
  };

  const keys = (t: Target) => (e: KeyboardEvent<SVGElement>) => {
    const delta: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const dir = delta[e.key];
    if (!dir) return;
    e.preventDefault();
    const step = Math.max(1, Math.round(width / 320)) * (e.altKey ? 10 : 1);
    const [x, y, w, h] = get(t);
    const [dx, dy] = [dir[0] * step, dir[1] * step];
    set(t, e.shiftKey ? [x, y, w + dx, h + dy] : [x + dx, y + dy, w, h]);
  };

  const handle = Math.max(8, width / 70);
  const { quad } = layout;
  const boxes: [Target, Box, string][] = quad
    ? []
    : [
        [{ kind: 'window' }, layout.window, 'Counter window'],
        ...layout.digits.map((b, i): [Target, Box, string] => [{ kind: 'digit', index: i }, b, `Digit ${i + 1}`]),
      ];

  return (
    <div className={styles.editor}>
      <img src={image} alt="Snapshot from the camera" className={styles.photo} />
      <svg
        ref={svg}
        className={styles.overlay}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="group"
        aria-label="Counter layout: focus a box or corner, arrow keys move it, Shift with arrow keys resizes a box, Alt for bigger steps"
      >
        {quad ? (
          <g className={styles.window}>
            <polygon points={quad.map((p) => p.join(',')).join(' ')} className={styles.quad} data-box="quad" />
            {quadCuts(quad, layout.digits.length).map(([a, b], i) => (
              <line key={i} x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} className={styles.cut} />
            ))}
            {quad.map(([x, y], i) => (
              <circle
                key={CORNER_NAMES[i]}
                cx={x}
                cy={y}
                r={handle * 0.7}
                tabIndex={0}
                role="button"
                aria-label={`${CORNER_NAMES[i]} corner of the counter window (in reading order): x ${Math.round(x)}, y ${Math.round(y)}`}
                data-box={`corner-${i}`}
                className={styles.corner}
                onPointerDown={start({ kind: 'corner', index: i }, 'move')}
                onPointerMove={move}
                onPointerUp={end}
                onPointerCancel={end}
                onKeyDown={keys({ kind: 'corner', index: i })}
              />
            ))}
          </g>
        ) : null}
        {boxes.map(([t, [x, y, w, h], label]) => (
          <g key={label} className={t.kind === 'window' ? styles.window : styles.digit}>
            <rect
              x={x}
              y={y}
              width={w}
              height={h}
              tabIndex={0}
              role="button"
              aria-label={`${label}: x ${Math.round(x)}, y ${Math.round(y)}, ${Math.round(w)} by ${Math.round(h)} pixels`}
              data-box={t.kind === 'window' ? 'window' : `digit-${t.index}`}
              className={styles.box}
              onPointerDown={start(t, 'move')}
              onPointerMove={move}
              onPointerUp={end}
              onPointerCancel={end}
              onKeyDown={keys(t)}
            />
            <rect
              x={x + w - handle / 2}
              y={y + h - handle / 2}
              width={handle}
              height={handle}
              className={styles.handle}
              aria-hidden="true"
              onPointerDown={start(t, 'resize')}
              onPointerMove={move}
              onPointerUp={end}
              onPointerCancel={end}
            />
          </g>
        ))}
      </svg>
    </div>
  );
}
