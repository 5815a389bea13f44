import path from 'node:path';
import sharp from 'sharp';
import { createRng, type InputShape, inputValues, POINTER_INPUT, type Rng, uniform } from '@metertwin/recognizer';
import { fontFiles, type GlyphSet, loadGlyphs, pathData, renderSyntheticSet, type SyntheticOptions, type SyntheticSet } from './synthetic.js';

/**
 * Synthetic pointer dials (the sub-unit dials of water meters), drawn as SVG: training data that adds
 * dial styles the real set lacks (it holds one meter's red spade pointers on a white face), never
 * replaces it. Each crop is a dial at an exact position `value` (0.0–9.9, 0 at the top, clockwise),
 * the scale drawn upright with it: the whole dial is never turned against its label (the trainer's
 * rotation augmentation turns the label with it). Scale digits come from the drum fonts' outlines
 * (opentype.js), not from system fonts, so a training run renders the same crops on any machine.
 */

/** Bump when the renderer changes, so cached crops are rendered again. */
const RENDERER_VERSION = 1;
/** Render at this multiple of the model input, then resize down like a camera crop. */
const SCALE = 4;

export const DIAL_FACES = ['white', 'cream', 'black', 'silver'] as const;
export const POINTER_COLOURS = ['red', 'darkRed', 'black', 'white'] as const;
export const POINTER_SHAPES = ['needle', 'arrow', 'spade'] as const;
export const DIAL_SCALES = ['ticks', 'numbers', 'none'] as const;

export interface DialStyle {
  face: (typeof DIAL_FACES)[number];
  pointer: (typeof POINTER_COLOURS)[number];
  /** needle: thin; arrow: a wide triangle; spade: a wide triangle out of a round hub (jomjol's meters). */
  shape: (typeof POINTER_SHAPES)[number];
  tail: boolean;
  cap: boolean;
  scale: (typeof DIAL_SCALES)[number];
  /** Glare, blur, noise, JPEG, low resolution (false: a clean render, for tests). */
  effects: boolean;
}

const FACE_RGB: Record<DialStyle['face'], number[]> = {
  white: [246, 246, 242],
  cream: [236, 224, 190],
  black: [28, 28, 30],
  silver: [190, 192, 196],
};
const POINTER_RGB: Record<DialStyle['pointer'], number[]> = {
  red: [215, 35, 35],
  darkRed: [135, 18, 22],
  black: [25, 25, 25],
  white: [242, 242, 240],
};

const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
const rgb = (c: number[]) => `rgb(${clamp(c[0]!)},${clamp(c[1]!)},${clamp(c[2]!)})`;
const jitter = (c: number[], rng: Rng, amount: number) => c.map((x) => x + uniform(rng, -amount, amount));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const dark = (face: DialStyle['face']) => face === 'black';

/** A random style; the pointer always stands out from the face (no black on black, white on white). */
export function randomDialStyle(rng: Rng): DialStyle {
  const r = rng();
  const face = r < 0.4 ? 'white' : r < 0.6 ? 'cream' : r < 0.8 ? 'silver' : 'black';
  const p = rng();
  let pointer: DialStyle['pointer'] = p < 0.45 ? 'red' : p < 0.65 ? 'darkRed' : p < 0.85 ? 'black' : 'white';
  if ((pointer === 'black' && dark(face)) || (pointer === 'white' && face !== 'black' && face !== 'silver'))
    pointer = 'red';
  const s = rng();
  return {
    face,
    pointer,
    shape: s < 0.35 ? 'needle' : s < 0.65 ? 'arrow' : 'spade',
    tail: rng() < 0.4,
    cap: rng() < 0.6,
    scale: pick(rng, ['ticks', 'numbers', 'numbers', 'none'] as const),
    effects: true,
  };
}

const pt = (x: number, y: number) => `${x.toFixed(1)},${y.toFixed(1)}`;

/** The dial as an SVG of S×S pixels, and its centre. */
function drawDial(value: number, style: DialStyle, glyphs: GlyphSet, rng: Rng, S: number): string {
  const cx = S / 2 + (style.effects ? uniform(rng, -0.07, 0.07) * S : 0);
  const cy = S / 2 + (style.effects ? uniform(rng, -0.07, 0.07) * S : 0);
  const R = S * (style.effects ? uniform(rng, 0.42, 0.62) : 0.48);
  const faceRgb = jitter(FACE_RGB[style.face], rng, 12);
  const ink = dark(style.face) ? jitter([225, 225, 220], rng, 25) : jitter([35, 35, 38], rng, 25);
  const surround = pick(rng, [[20, 20, 22], [120, 120, 118], [200, 200, 195], [60, 70, 90]]);
  const parts: string[] = [
    `<defs><radialGradient id="f" cx="0.5" cy="0.45" r="0.65"><stop offset="0" stop-color="${rgb(faceRgb)}"/>` +
      `<stop offset="1" stop-color="${rgb(faceRgb.map((x) => x * (style.face === 'silver' ? 0.78 : 0.92)))}"/></radialGradient>` +
      `<radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="${uniform(rng, 0.4, 0.85).toFixed(2)}"/>` +
      `<stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>`,
    `<rect width="100%" height="100%" fill="${rgb(jitter(surround, rng, 20))}"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${(R * 1.06).toFixed(1)}" fill="${rgb(jitter([150, 150, 150], rng, 60))}"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${R.toFixed(1)}" fill="url(#f)"/>`,
  ];
  const dir = (turns: number) => [Math.sin(turns * 2 * Math.PI), -Math.cos(turns * 2 * Math.PI)] as const;
  if (style.scale === 'ticks' || (style.scale === 'numbers' && rng() < 0.5)) {
    const minor = rng() < 0.6;
    for (let t = 0; t < (minor ? 50 : 10); t++) {
      const major = !minor || t % 5 === 0;
      const [dx, dy] = dir(t / (minor ? 50 : 10));
      const r1 = R * 0.95;
      const r2 = R * (major ? 0.8 : 0.87);
      parts.push(
        `<line x1="${cx + dx * r1}" y1="${cy + dy * r1}" x2="${cx + dx * r2}" y2="${cy + dy * r2}" stroke="${rgb(ink)}" stroke-width="${(major ? 0.025 : 0.012) * R}"/>`,
      );
    }
  }
  if (style.scale === 'numbers') {
    const size = R * uniform(rng, 0.2, 0.3);
    const radius = R * uniform(rng, 0.66, 0.78);
    const radial = rng() < 0.25; // digits turned to face the centre on some dials
    const paint = rgb(style.pointer === 'red' && rng() < 0.15 ? [190, 30, 30] : ink);
    for (let d = 0; d < 10; d++) {
      const [dx, dy] = dir(d / 10);
      const x = cx + dx * radius;
      const y = cy + dy * radius;
      const glyph = glyphs.paths[d]!;
      const box = glyph.getBoundingBox();
      const h = size / (glyphs.bottom - glyphs.top);
      const x0 = x - ((box.x1 + box.x2) / 2) * h;
      const y0 = y - ((glyphs.top + glyphs.bottom) / 2) * h;
      const turn = radial ? ` transform="rotate(${(d * 36).toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})"` : '';
      parts.push(`<path d="${pathData(glyph, x0, y0, h, 1)}" fill="${paint}"${turn}/>`);
    }
  }
  // The pointer: tip at angle value/10 of a turn from the top, clockwise.
  const [ux, uy] = dir(value / 10);
  const [px, py] = [-uy, ux];
  const colour = rgb(jitter(POINTER_RGB[style.pointer], rng, 18));
  const length = R * uniform(rng, 0.62, 0.88);
  const half =
    R * (style.shape === 'needle' ? uniform(rng, 0.025, 0.06) : style.shape === 'arrow' ? uniform(rng, 0.1, 0.17) : uniform(rng, 0.16, 0.26));
  const at = (along: number, across: number) => pt(cx + ux * along + px * across, cy + uy * along + py * across);
  const tail = style.tail ? R * uniform(rng, 0.15, 0.35) : 0;
  const back = style.tail ? [at(-tail, half * 0.7), at(-tail, -half * 0.7)] : [at(-half * 0.3, 0)];
  const body = [at(length, 0), at(0, half), ...back, at(0, -half)];
  const pointer = `<polygon points="${body.join(' ')}" fill="${colour}"/>` +
    (style.shape === 'spade' ? `<circle cx="${cx}" cy="${cy}" r="${(half * 1.05).toFixed(1)}" fill="${colour}"/>` : '');
  if (style.effects && rng() < 0.4) {
    // The pointer's shadow on the face.
    const [sx, sy] = [uniform(rng, -0.05, 0.05) * R, uniform(rng, 0.01, 0.06) * R];
    parts.push(`<g transform="translate(${sx.toFixed(1)} ${sy.toFixed(1)})" opacity="0.3" fill="#000">${pointer.replaceAll(`fill="${colour}"`, 'fill="#000"')}</g>`);
  }
  parts.push(pointer);
  if (style.cap) {
    const capColour = rng() < 0.5 ? colour : rgb(pick(rng, [[30, 30, 30], [180, 180, 185], [230, 230, 230]]));
    parts.push(`<circle cx="${cx}" cy="${cy}" r="${(R * uniform(rng, 0.05, 0.12)).toFixed(1)}" fill="${capColour}"/>`);
  }
  if (style.effects && rng() < 0.3) {
    // Glare on the glass.
    const gx = cx + uniform(rng, -0.6, 0.6) * R;
    const gy = cy + uniform(rng, -0.6, 0.6) * R;
    parts.push(`<ellipse cx="${gx}" cy="${gy}" rx="${(R * uniform(rng, 0.2, 0.6)).toFixed(1)}" ry="${(R * uniform(rng, 0.1, 0.35)).toFixed(1)}" fill="url(#g)"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${S}" height="${S}">${parts.join('')}</svg>`;
}

/** One dial crop of the input size (deterministic for the generator's state). */
export async function renderDial(
  value: number,
  style: DialStyle,
  glyphs: GlyphSet,
  rng: Rng,
  input: InputShape = POINTER_INPUT,
): Promise<Uint8Array> {
  const S = input.width * SCALE;
  const svg = drawDial(value, style, glyphs, rng, S);
  let image = sharp(Buffer.from(svg)).removeAlpha();
  if (style.effects) {
    image = sharp(await image.blur(uniform(rng, 0.4, 3)).png().toBuffer());
    // A camera's JPEG, and a dial seen at a lower resolution than the model's input.
    if (rng() < 0.5) image = sharp(await image.jpeg({ quality: Math.round(uniform(rng, 20, 90)) }).toBuffer());
    if (rng() < 0.3) {
      const low = Math.round(uniform(rng, 12, 24));
      image = sharp(await image.resize(low, low, { fit: 'fill' }).png().toBuffer());
    }
  }
  const { data } = await image
    .resize(input.width, input.height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(0, inputValues(input));
  const noise = style.effects && rng() < 0.6 ? uniform(rng, 0, 12) : 0;
  if (noise > 0) for (let i = 0; i < out.length; i++) out[i] = clamp(out[i]! + noise * (rng() + rng() + rng() - 1.5) * 2);
  return out;
}

/**
 * Render `count` synthetic dial crops (deterministic for a seed), values uniform over the 100 tenths,
 * styles from randomDialStyle. Cached in the OS temp folder by count, seed, size and renderer.
 * `fonts` names the fonts of the scale digits.
 */
export async function syntheticDials(options: SyntheticOptions): Promise<SyntheticSet> {
  const input = options.input ?? POINTER_INPUT;
  const seed = options.seed ?? 1;
  const files = (await fontFiles()).drums;
  const fonts = files.map((f) => path.basename(f));
  const values = new Float64Array(options.count);
  const rng = createRng(seed * 7919 + 29);
  const plan: Array<{ value: number; font: number }> = [];
  for (let i = 0; i < options.count; i++) {
    const font = Math.floor(rng() * files.length);
    const value = Math.floor(rng() * 100) / 10;
    plan.push({ value, font });
    values[i] = value;
  }
  const glyphs = new Map<number, Promise<GlyphSet>>();
  const glyphsOf = (font: number) => {
    if (!glyphs.has(font)) glyphs.set(font, loadGlyphs(files[font]!));
    return glyphs.get(font)!;
  };
  return renderSyntheticSet({
    ...options,
    name: 'synthetic-dials',
    key: ['dials', RENDERER_VERSION, options.count, seed, input, fonts],
    input,
    values,
    fonts,
    render: async (i) => {
      const crng = createRng(seed * 1_000_033 + i);
      return renderDial(plan[i]!.value, randomDialStyle(crng), await glyphsOf(plan[i]!.font), crng, input);
    },
  });
}
