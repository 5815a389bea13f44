'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import styles from './layout-editor.module.css';

export type Box = [number, number, number, number];
export type Point = [number, number];
/** Corners top-left, top-right, bottom-right, bottom-left, in the order the digits read. */
export type Quad = [Point, Point, Point, Point];
/** A pointer dial: centre and radius of its scale ring, photo pixels. */
export type Circle = [number, number, number];
export interface EditableLayout {
  window: Box;
  digits: Box[];
  /** A turned or tilted counter: the window's four corners (then `digits` only counts the drums). */
  quad?: Quad;
  /** Pointer dials, most significant first (only with `quad`: a dial's "0" is the counter's up). */
  dials?: Circle[];
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
  const along = (a: Point, b: Point, t: number): Point => [
    a[0] + (b[0] - a[0]) * t,
    a[1] + (b[1] - a[1]) * t,
  ];
  return Array.from({ length: n - 1 }, (_, i) => [
    along(quad[0], quad[1], (i + 1) / n),
    along(quad[3], quad[2], (i + 1) / n),
  ]);
}

/** Upright bounds of each drum's cell of the quad (what the server replaces with exact bounds). */
export function quadDigits(quad: Quad, n: number): Box[] {
  const edges = [
    [quad[0], quad[3]] as [Point, Point],
    ...quadCuts(quad, n),
    [quad[1], quad[2]] as [Point, Point],
  ];
  return Array.from({ length: n }, (_, i) => {
    const pts = [...edges[i]!, ...edges[i + 1]!];
    const x0 = Math.max(0, Math.min(...pts.map((p) => p[0])));
    const y0 = Math.max(0, Math.min(...pts.map((p) => p[1])));
    return [
      x0,
      y0,
      Math.max(1, Math.max(...pts.map((p) => p[0])) - x0),
      Math.max(1, Math.max(...pts.map((p) => p[1])) - y0),
    ];
  });
}

/** A dial's upright bounds (the layout's `pointers`; the server replaces them with its turned square's). */
export function dialBounds([cx, cy, r]: Circle): Box {
  return [Math.max(0, cx - r), Math.max(0, cy - r), 2 * r, 2 * r];
}

/** The window's corners in reading order; each one's name is the message `layout.corner.<name>`. */
const CORNER_NAMES = ['topLeft', 'topRight', 'bottomRight', 'bottomLeft'] as const;
const MIN_DIAL_RADIUS = 4;

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

/**
 * A dial kept whole inside the photo (the layout refuses one that is not): a moved dial stops at the
 * edge, a resized one keeps its centre and stops growing there.
 */
const clampDial = ([cx, cy, r]: Circle, width: number, height: number, keep: 'centre' | 'radius'): Circle => {
  if (keep === 'centre') {
    const x = Math.min(Math.max(cx, MIN_DIAL_RADIUS), width - MIN_DIAL_RADIUS);
    const y = Math.min(Math.max(cy, MIN_DIAL_RADIUS), height - MIN_DIAL_RADIUS);
    return [x, y, Math.max(MIN_DIAL_RADIUS, Math.min(r, x, y, width - x, height - y))];
  }
  const radius = Math.min(Math.max(r, MIN_DIAL_RADIUS), width / 2, height / 2);
  return [
    Math.min(Math.max(cx, radius), width - radius),
    Math.min(Math.max(cy, radius), height - radius),
    radius,
  ];
};

type Target =
  | { kind: 'window' }
  | { kind: 'digit'; index: number }
  | { kind: 'corner'; index: number }
  | { kind: 'dial'; index: number };
interface Drag {
  target: Target;
  /** move: by the pointer's travel; resize: a box's size by it; radius: a dial's edge to the pointer. */
  mode: 'move' | 'resize' | 'radius';
  startX: number;
  startY: number;
  box: Box;
  scale: number;
}
/** What the next clicks on the photo place: the window's corners in reading order, or a dial. */
type Placing = { kind: 'corners'; points: Point[] } | { kind: 'dial' } | null;

/**
 * The photo with the counter window and each digit box drawn over it; in four-corner mode the
 * window's corners (clicked in reading order or dragged) and the pointer dials (click a centre,
 * drag out to the scale ring; Escape stops placing). Everything is dragged with the pointer or, once
 * focused, moved with the arrow keys (Shift: resize; Alt: 10× steps; Delete removes a dial).
 * Coordinates are photo pixels.
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
  const tr = useTranslations('layout');
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<Drag | null>(null);
  const [placing, setPlacing] = useState<Placing>(null);
  const [focusDial, setFocusDial] = useState<number | null>(null);
  const dials = layout.dials ?? [];

  // a dial added from the keyboard is focused, so the arrow keys move it at once
  useEffect(() => {
    if (focusDial === null) return;
    svg.current?.querySelector<SVGElement>(`[data-box="dial-${focusDial}"]`)?.focus();
    setFocusDial(null);
  }, [focusDial]);

  const toPhoto = (e: { clientX: number; clientY: number }): Point => {
    const rect = svg.current!.getBoundingClientRect();
    return [((e.clientX - rect.left) * width) / rect.width, ((e.clientY - rect.top) * height) / rect.height];
  };

  // a corner is handled as a 0×0 box at its point, a dial as [cx, cy, r, r]
  const get = (t: Target): Box => {
    if (t.kind === 'corner') return [...layout.quad![t.index]!, 0, 0];
    if (t.kind === 'dial') {
      const [cx, cy, r] = dials[t.index]!;
      return [cx, cy, r, r];
    }
    return t.kind === 'window' ? layout.window : layout.digits[t.index]!;
  };
  const setDial = (index: number, dial: Circle) => {
    const keep = dial[2] === dials[index]![2] ? 'radius' : 'centre';
    onChange({
      ...layout,
      dials: dials.map((d, i) => (i === index ? clampDial(dial, width, height, keep) : d)),
    });
  };
  const set = (t: Target, box: Box) => {
    if (t.kind === 'corner') {
      const p: Point = [Math.min(Math.max(box[0], 0), width), Math.min(Math.max(box[1], 0), height)];
      onChange({ ...layout, quad: layout.quad!.map((c, i) => (i === t.index ? p : c)) as Quad });
      return;
    }
    if (t.kind === 'dial') return setDial(t.index, [box[0], box[1], box[2]]);
    const b = clampBox(box, width, height);
    if (t.kind === 'window') onChange({ ...layout, window: b });
    else onChange({ ...layout, digits: layout.digits.map((d, i) => (i === t.index ? b : d)) });
  };
  const removeDial = (index: number) => onChange({ ...layout, dials: dials.filter((_, i) => i !== index) });

  const begin = (e: PointerEvent<Element>, target: Target, mode: Drag['mode'], box = get(target)) => {
    e.preventDefault();
    e.stopPropagation();
    const rect = svg.current!.getBoundingClientRect();
    drag.current = { target, mode, startX: e.clientX, startY: e.clientY, box, scale: width / rect.width };
    (e.target as Element).setPointerCapture(e.pointerId);
  };
  const start = (t: Target, mode: Drag['mode']) => (e: PointerEvent<SVGElement>) => {
    begin(e, t, mode);
    (e.target as SVGElement).focus?.();
  };
  const move = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d) return;
    if (d.mode === 'radius') {
      const [x, y] = toPhoto(e);
      set(d.target, [d.box[0], d.box[1], Math.hypot(x - d.box[0], y - d.box[1]), 0]);
      return;
    }
    const dx = (e.clientX - d.startX) * d.scale;
    const dy = (e.clientY - d.startY) * d.scale;
    const [x, y, w, h] = d.box;
    set(d.target, d.mode === 'move' ? [x + dx, y + dy, w, h] : [x, y, w + dx, h + dy]);
  };
  const end = () => {
    drag.current = null;
  };

  // a click on the photo while placing: the next corner, or a dial's centre (dragged out to its ring)
  const place = (e: PointerEvent<SVGSVGElement>) => {
    if (!placing || !layout.quad) return;
    const p = toPhoto(e);
    if (placing.kind === 'corners') {
      e.preventDefault();
      const points = [...placing.points, p];
      if (points.length < 4) return setPlacing({ kind: 'corners', points });
      setPlacing(null);
      onChange({ ...layout, quad: points as Quad });
      return;
    }
    const index = dials.length;
    const dial = clampDial([p[0], p[1], MIN_DIAL_RADIUS], width, height, 'centre');
    onChange({ ...layout, dials: [...dials, dial] });
    setPlacing(null);
    begin(e, { kind: 'dial', index }, 'radius', [dial[0], dial[1], dial[2], dial[2]]);
  };

  const addDial = (e: MouseEvent<HTMLButtonElement>) => {
    // keyboard activation (no pointer position): a dial in the middle of the photo, focused to be moved
    if (e.detail === 0) {
      const r = Math.round(Math.min(width, height) / 14);
      onChange({
        ...layout,
        dials: [...dials, clampDial([width / 2, height / 2, r], width, height, 'centre')],
      });
      setFocusDial(dials.length);
      return;
    }
    setPlacing(placing?.kind === 'dial' ? null : { kind: 'dial' });
  };

  const keys = (t: Target) => (e: KeyboardEvent<SVGElement>) => {
    if (t.kind === 'dial' && (e.key === 'Delete' || e.key === 'Backspace')) {
      e.preventDefault();
      removeDial(t.index);
      return;
    }
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
    // a dial's radius grows with Shift+Right/Up and shrinks with Shift+Left/Down
    if (t.kind === 'dial' && e.shiftKey) set(t, [x, y, w + dx - dy, h]);
    else set(t, e.shiftKey ? [x, y, w + dx, h + dy] : [x + dx, y + dy, w, h]);
  };

  const handle = Math.max(8, width / 70);
  const { quad } = layout;
  const boxes: [Target, Box, string][] = quad
    ? []
    : [
        [{ kind: 'window' }, layout.window, tr('window')],
        ...layout.digits.map((b, i): [Target, Box, string] => [
          { kind: 'digit', index: i },
          b,
          tr('digit', { n: i + 1 }),
        ]),
      ];
  const clicked = placing?.kind === 'corners' ? placing.points : null;

  return (
    <div className={styles.layoutEditor} onKeyDown={(e) => e.key === 'Escape' && setPlacing(null)}>
      {quad ? (
        <div className={styles.toolbar}>
          <button
            type="button"
            aria-pressed={placing?.kind === 'corners'}
            onClick={() => setPlacing(placing?.kind === 'corners' ? null : { kind: 'corners', points: [] })}
          >
            {placing?.kind === 'corners' ? tr('stopCorners') : tr('clickCorners')}
          </button>
          <button
            type="button"
            aria-pressed={placing?.kind === 'dial'}
            onClick={addDial}
            disabled={dials.length >= 6}
          >
            {tr('addDial')}
          </button>
          {dials.map((_, i) => (
            <button key={i} type="button" onClick={() => removeDial(i)}>
              {tr('removeDial', { n: i + 1 })}
            </button>
          ))}
        </div>
      ) : null}
      {quad ? (
        // the line is kept when empty: the photo must not move between a click and the next
        <p className={styles.hint} aria-live="polite" data-testid="placing-hint">
          {clicked
            ? tr('clickCorner', { corner: CORNER_NAMES[clicked.length]!, n: clicked.length + 1 })
            : placing?.kind === 'dial'
              ? tr('placeDial')
              : ''}
        </p>
      ) : null}
      <div className={styles.editor}>
        <img src={image} alt={tr('snapshotAlt')} className={styles.photo} />
        <svg
          ref={svg}
          className={`${styles.overlay} ${placing ? styles.placing : ''}`}
          viewBox={`0 0 ${width} ${height}`}
          preserveAspectRatio="none"
          role="group"
          aria-label={tr('editorLabel')}
          onPointerDown={place}
          onPointerMove={move}
          onPointerUp={end}
          onPointerCancel={end}
        >
          {quad && !clicked ? (
            <g className={styles.window}>
              <polygon
                points={quad.map((p) => p.join(',')).join(' ')}
                className={styles.quad}
                data-box="quad"
              />
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
                  aria-label={tr('cornerLabel', {
                    corner: CORNER_NAMES[i]!,
                    x: Math.round(x),
                    y: Math.round(y),
                  })}
                  data-box={`corner-${i}`}
                  className={styles.corner}
                  onPointerDown={start({ kind: 'corner', index: i }, 'move')}
                  onKeyDown={keys({ kind: 'corner', index: i })}
                />
              ))}
            </g>
          ) : null}
          {clicked ? (
            <g className={styles.window} data-testid="clicked-corners">
              <polyline points={clicked.map((p) => p.join(',')).join(' ')} className={styles.quad} />
              {clicked.map(([x, y], i) => (
                <circle key={i} cx={x} cy={y} r={handle * 0.5} className={styles.corner} />
              ))}
            </g>
          ) : null}
          {quad
            ? dials.map(([cx, cy, r], i) => (
                <g key={i} className={styles.dial}>
                  <circle
                    cx={cx}
                    cy={cy}
                    r={r}
                    tabIndex={0}
                    role="button"
                    aria-label={tr('dialLabel', {
                      n: i + 1,
                      x: Math.round(cx),
                      y: Math.round(cy),
                      r: Math.round(r),
                    })}
                    data-box={`dial-${i}`}
                    className={styles.ring}
                    onPointerDown={start({ kind: 'dial', index: i }, 'move')}
                    onKeyDown={keys({ kind: 'dial', index: i })}
                  />
                  {/* the number sits on the ring's upper left, off the pointer's hub */}
                  <text x={cx - r * 0.72} y={cy - r * 0.72} className={styles.dialNumber} aria-hidden="true">
                    {i + 1}
                  </text>
                  <rect
                    x={cx + r - handle / 2}
                    y={cy - handle / 2}
                    width={handle}
                    height={handle}
                    className={styles.handle}
                    aria-hidden="true"
                    data-box={`dial-${i}-radius`}
                    onPointerDown={(e) => begin(e, { kind: 'dial', index: i }, 'radius')}
                  />
                </g>
              ))
            : null}
          {boxes.map(([t, [x, y, w, h], label]) => (
            <g key={label} className={t.kind === 'window' ? styles.window : styles.digit}>
              <rect
                x={x}
                y={y}
                width={w}
                height={h}
                tabIndex={0}
                role="button"
                aria-label={tr('boxLabel', {
                  label,
                  x: Math.round(x),
                  y: Math.round(y),
                  w: Math.round(w),
                  h: Math.round(h),
                })}
                data-box={t.kind === 'window' ? 'window' : `digit-${t.index}`}
                className={styles.box}
                onPointerDown={start(t, 'move')}
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
              />
            </g>
          ))}
        </svg>
      </div>
    </div>
  );
}
