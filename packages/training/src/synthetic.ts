import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import opentype from 'opentype.js';
import sharp from 'sharp';
import { createRng, DIGIT_INPUT, type InputShape, inputValues, type Rng, uniform } from '@metertwin/recognizer';

/**
 * Synthetic rolling counter drums, rendered from font outlines: training data that adds meter styles
 * the real set lacks (fonts, colours, low contrast, tick scales, drum curvature, half-rolled digits),
 * never replaces it. Each crop is a drum at an exact position `value` (0.0–9.9): the digit
 * floor(value) has rolled up by frac(value) of the digit pitch and the next digit comes up from below,
 * as on a real counter. A few are seven-segment LCD digits (integer values, no roll).
 *
 * Fonts come from npm packages (@fontsource/*, dseg: SIL Open Font License / Apache), so a training run
 * renders the same crops on any machine.
 */

/** @fontsource packages whose latin weights draw the drum digits. */
export const DRUM_FONT_PACKAGES = [
  'roboto-mono',
  'oswald',
  'roboto-condensed',
  'barlow-condensed',
  'ibm-plex-mono',
  'source-code-pro',
  'fira-mono',
  'share-tech-mono',
  'inconsolata',
  'pt-mono',
  'space-mono',
  'b612-mono',
  'noto-sans-mono',
  'courier-prime',
  'archivo-narrow',
  'saira-condensed',
  'rajdhani',
  'teko',
  'fjalla-one',
  'francois-one',
  'dosis',
  'arimo',
  'tinos',
  'roboto-slab',
  'bitter',
  'oxanium',
  'chakra-petch',
  'anton',
] as const;

/** Bump when the renderer changes, so cached crops are rendered again. */
const RENDERER_VERSION = 1;
/** Render at this multiple of the model input, then resize down like a camera crop. */
const SCALE = 4;
/** Share of LCD (seven-segment) crops. */
const LCD_SHARE = 0.06;

export interface GlyphSet {
  name: string;
  /** SVG path of each digit 0–9 at font size 1, baseline at y = 0. */
  paths: opentype.Path[];
  /** Bounding box of the digits at font size 1 (y grows downwards). */
  top: number;
  bottom: number;
}

export interface SyntheticSet {
  input: InputShape;
  /** Drum position of each crop, 0.0–9.9 (one decimal). */
  values: Float64Array;
  /** values.length * inputValues(input) bytes. */
  pixels: Uint8Array;
  /** Font files the crops were drawn with. */
  fonts: string[];
}

const require = createRequire(import.meta.url);

export async function fontFiles(): Promise<{ drums: string[]; lcd: string[] }> {
  const drums: string[] = [];
  for (const pkg of DRUM_FONT_PACKAGES) {
    const dir = path.join(path.dirname(require.resolve(`@fontsource/${pkg}/package.json`)), 'files');
    const files = (await readdir(dir)).filter((f) => /-latin-[3-9]00-normal\.woff$/.test(f)).sort();
    drums.push(...files.map((f) => path.join(dir, f)));
  }
  const dsegDir = path.join(path.dirname(require.resolve('dseg/package.json')), 'fonts');
  const lcd = [
    'DSEG7-Classic/DSEG7Classic-Regular.woff',
    'DSEG7-Classic/DSEG7Classic-Bold.woff',
    'DSEG7-Modern/DSEG7Modern-Regular.woff',
  ].map((f) => path.join(dsegDir, f));
  return { drums, lcd };
}

export async function loadGlyphs(file: string): Promise<GlyphSet> {
  const bytes = await readFile(file);
  const font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const paths = Array.from({ length: 10 }, (_, d) => font.getPath(String(d), 0, 0, 1));
  let top = Infinity;
  let bottom = -Infinity;
  for (const p of paths) {
    const box = p.getBoundingBox();
    top = Math.min(top, box.y1);
    bottom = Math.max(bottom, box.y2);
  }
  if (!(bottom > top)) throw new Error(`${file}: no digit outlines`);
  return { name: path.basename(file), paths, top, bottom };
}

const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
const rgb = (c: number[]) => `rgb(${clamp(c[0]!)},${clamp(c[1]!)},${clamp(c[2]!)})`;
const luma = (c: number[]) => 0.299 * c[0]! + 0.587 * c[1]! + 0.114 * c[2]!;
const mix = (a: number[], b: number[], t: number) => a.map((x, i) => x + (b[i]! - x) * t);
const jitter = (c: number[], rng: Rng, amount: number) => c.map((x) => x + uniform(rng, -amount, amount));

/** Drum and digit colours, from the styles seen on meters (and some that are not). */
function palette(rng: Rng): { bg: number[]; fg: number[] } {
  const r = rng();
  let bg: number[];
  let fg: number[];
  if (r < 0.3) {
    bg = jitter([25, 25, 28], rng, 25); // black drum, white digits
    fg = jitter([225, 225, 220], rng, 30);
  } else if (r < 0.58) {
    bg = jitter([225, 225, 218], rng, 30); // white drum, black digits
    fg = jitter([30, 30, 30], rng, 30);
  } else if (r < 0.72) {
    bg = jitter([170, 35, 35], rng, 35); // red drum, white or grey digits
    fg = jitter(rng() < 0.5 ? [230, 230, 230] : [160, 160, 160], rng, 25);
  } else if (r < 0.82) {
    bg = jitter([230, 228, 222], rng, 20); // white drum, red digits
    fg = jitter([190, 30, 35], rng, 35);
  } else {
    // Any two colours a reader can tell apart.
    do {
      bg = [uniform(rng, 0, 255), uniform(rng, 0, 255), uniform(rng, 0, 255)];
      fg = [uniform(rng, 0, 255), uniform(rng, 0, 255), uniform(rng, 0, 255)];
    } while (Math.abs(luma(bg) - luma(fg)) < 70);
  }
  // Faded print, dirty glass, a dim camera: the digits move towards the drum colour.
  if (rng() < 0.3) fg = mix(fg, bg, uniform(rng, 0.15, 0.45));
  return { bg, fg };
}

export function pathData(glyph: opentype.Path, x: number, y: number, size: number, stretch: number): string {
  // Scale the unit-size path into place (opentype's toPathData does not transform).
  const p = new opentype.Path();
  for (const c of glyph.commands) {
    const t = (px: number, py: number) => [x + px * size * stretch, y + py * size] as const;
    if (c.type === 'M' || c.type === 'L') p[c.type === 'M' ? 'moveTo' : 'lineTo'](...t(c.x, c.y));
    else if (c.type === 'Q') p.quadraticCurveTo(...t(c.x1, c.y1), ...t(c.x, c.y));
    else if (c.type === 'C') p.curveTo(...t(c.x1, c.y1), ...t(c.x2, c.y2), ...t(c.x, c.y));
    else p.close();
  }
  return p.toPathData(2);
}

interface Drawn {
  svg: string;
  /** Flat drum height in render pixels (taller than the crop when the drum is curved). */
  flatHeight: number;
  /** Half the visible arc of the drum, radians (0: flat, an LCD). */
  arc: number;
}

/** One drum (or LCD digit) as an SVG of the unrolled surface. */
function drawDrum(value: number, glyphs: GlyphSet, lcd: boolean, rng: Rng, W: number, H: number): Drawn {
  const { bg, fg } = palette(rng);
  const arc = lcd ? 0 : rng() < 0.8 ? uniform(rng, 0.5, 1.1) : 0;
  const flatHeight = arc > 0 ? Math.round((H * arc) / Math.sin(arc)) : H;
  const digitH = H * uniform(rng, lcd ? 0.55 : 0.45, lcd ? 0.8 : 0.74);
  const pitch = digitH * uniform(rng, 1.2, 1.7);
  const size = digitH / (glyphs.bottom - glyphs.top);
  const stretch = uniform(rng, 0.8, 1.25);
  const cx = W / 2 + uniform(rng, -0.08, 0.08) * W;
  const cy = flatHeight / 2 + uniform(rng, -0.08, 0.08) * H;
  const digit = Math.floor(value + 1e-9);
  const roll = lcd ? 0 : value - digit;
  const weight = rng() < 0.25 ? uniform(rng, 0.5, 2.5) * SCALE : 0;
  const parts: string[] = [`<rect width="100%" height="100%" fill="${rgb(bg)}"/>`];
  const paint =
    `fill="${rgb(fg)}"` +
    (weight > 0 ? ` stroke="${rgb(fg)}" stroke-width="${weight.toFixed(1)}" stroke-linejoin="round"` : '');
  if (lcd && rng() < 0.5) {
    // Unlit segments show faintly on many LCDs.
    const ghost = glyphs.paths[8]!;
    const box = ghost.getBoundingBox();
    const x = cx - ((box.x1 + box.x2) / 2) * size * stretch;
    parts.push(
      `<path d="${pathData(ghost, x, cy - ((glyphs.top + glyphs.bottom) / 2) * size, size, stretch)}" fill="${rgb(mix(bg, fg, uniform(rng, 0.08, 0.2)))}"/>`,
    );
  }
  const rotate = uniform(rng, -3, 3);
  parts.push(`<g transform="rotate(${rotate.toFixed(2)} ${cx.toFixed(1)} ${cy.toFixed(1)})" ${paint}>`);
  for (let k = lcd ? 0 : -2; k <= (lcd ? 0 : 2); k++) {
    const d = (digit + k + 10) % 10;
    const glyph = glyphs.paths[d]!;
    const box = glyph.getBoundingBox();
    const centreY = cy + (k - roll) * pitch;
    if (centreY < -digitH || centreY > flatHeight + digitH) continue;
    const x = cx - ((box.x1 + box.x2) / 2) * size * stretch;
    const y = centreY - ((glyphs.top + glyphs.bottom) / 2) * size;
    parts.push(`<path d="${pathData(glyph, x, y, size, stretch)}"/>`);
  }
  parts.push('</g>');
  // A tenths scale printed beside the digits on some drums (it rolls with them).
  if (!lcd && rng() < 0.2) {
    const right = rng() < 0.7;
    const x0 = right ? W * uniform(rng, 0.8, 0.9) : W * uniform(rng, 0.04, 0.12);
    for (let t = -30; t <= 30; t++) {
      const y = cy + (t / 10 - roll) * pitch;
      if (y < 0 || y > flatHeight) continue;
      const len = (t % 10 === 0 ? 0.12 : t % 5 === 0 ? 0.09 : 0.06) * W;
      const x1 = right ? x0 + len : x0 - len;
      parts.push(
        `<line x1="${x0.toFixed(1)}" y1="${y.toFixed(1)}" x2="${x1.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${rgb(fg)}" stroke-width="${SCALE * 0.6}"/>`,
      );
    }
  }
  // The gaps between neighbouring drums, or the window's side edges.
  if (!lcd && rng() < 0.4) {
    const edge = rgb(rng() < 0.7 ? jitter([20, 20, 20], rng, 20) : jitter([200, 200, 200], rng, 40));
    const left = W * uniform(rng, 0, 0.14);
    const right = W * uniform(rng, 0, 0.14);
    parts.push(`<rect x="0" y="0" width="${left.toFixed(1)}" height="${flatHeight}" fill="${edge}"/>`);
    parts.push(
      `<rect x="${(W - right).toFixed(1)}" y="0" width="${right.toFixed(1)}" height="${flatHeight}" fill="${edge}"/>`,
    );
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${flatHeight}">${parts.join('')}</svg>`;
  return { svg, flatHeight, arc };
}

/**
 * Wrap the flat drum surface onto a cylinder seen from the front: rows far from the centre are
 * squeezed and darker, as on a real drum. Also a sideways light gradient and sensor noise.
 */
function cylinder(
  flat: Uint8Array,
  W: number,
  flatHeight: number,
  H: number,
  arc: number,
  rng: Rng,
): Uint8Array {
  const out = new Uint8Array(W * H * 3);
  const darken = uniform(rng, 0, 1.5);
  const side = uniform(rng, -0.25, 0.25);
  const noise = rng() < 0.6 ? uniform(rng, 0, 10) : 0;
  for (let y = 0; y < H; y++) {
    const t = (2 * (y + 0.5)) / H - 1;
    const theta = arc > 0 ? Math.asin(t * Math.sin(arc)) : 0;
    const u = arc > 0 ? theta / arc : t;
    const sy = Math.min(flatHeight - 1, Math.max(0, ((u + 1) / 2) * flatHeight - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(flatHeight - 1, y0 + 1);
    const fy = sy - y0;
    const shade = Math.cos(theta) ** darken;
    for (let x = 0; x < W; x++) {
      const light = shade * (1 + side * ((2 * x) / W - 1));
      for (let c = 0; c < 3; c++) {
        const v = flat[(y0 * W + x) * 3 + c]! * (1 - fy) + flat[(y1 * W + x) * 3 + c]! * fy;
        out[(y * W + x) * 3 + c] = clamp(
          v * light + (noise > 0 ? noise * (rng() + rng() + rng() - 1.5) * 2 : 0),
        );
      }
    }
  }
  return out;
}

export async function renderOne(
  value: number,
  glyphs: GlyphSet,
  lcd: boolean,
  rng: Rng,
  input: InputShape,
): Promise<Uint8Array> {
  const W = input.width * SCALE;
  const H = input.height * SCALE;
  const drawn = drawDrum(value, glyphs, lcd, rng, W, H);
  const { data } = await sharp(Buffer.from(drawn.svg))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const surface = cylinder(
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    W,
    drawn.flatHeight,
    H,
    drawn.arc,
    rng,
  );
  let image = sharp(surface, { raw: { width: W, height: H, channels: 3 } }).blur(uniform(rng, 0.5, 2.5));
  // Camera JPEG artefacts, at the camera's resolution (before the crop is scaled to the model's size).
  if (rng() < 0.5) {
    const jpeg = await image.jpeg({ quality: Math.round(uniform(rng, 25, 90)) }).toBuffer();
    image = sharp(jpeg);
  }
  const { data: small } = await image
    .resize(input.width, input.height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(small.buffer, small.byteOffset, small.byteLength).slice(0, inputValues(input));
}

export interface SyntheticOptions {
  count: number;
  seed?: number;
  input?: InputShape;
  /** Cache the rendered crops in the OS temp folder (default true). */
  cache?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Render `count` synthetic drum crops (deterministic for a seed), values uniform over the 100
 * tenths (LCD crops: whole digits). Cached in the OS temp folder by count, seed, size and renderer.
 */
export async function syntheticDrums(options: SyntheticOptions): Promise<SyntheticSet> {
  const input = options.input ?? DIGIT_INPUT;
  const seed = options.seed ?? 1;
  const files = await fontFiles();
  const fonts = [...files.drums, ...files.lcd].map((f) => path.basename(f));
  const values = new Float64Array(options.count);
  const rng = createRng(seed * 7919 + 13);
  const plan: Array<{ value: number; font: number; lcd: boolean }> = [];
  for (let i = 0; i < options.count; i++) {
    const lcd = rng() < LCD_SHARE;
    const font = Math.floor(rng() * (lcd ? files.lcd.length : files.drums.length));
    const value = lcd ? Math.floor(rng() * 10) : Math.floor(rng() * 100) / 10;
    plan.push({ value, font, lcd });
    values[i] = value;
  }
  let glyphs: Promise<{ drums: GlyphSet[]; lcds: GlyphSet[] }> | undefined;
  return renderSyntheticSet({
    ...options,
    name: 'synthetic',
    key: [RENDERER_VERSION, options.count, seed, input, fonts],
    input,
    values,
    fonts,
    render: async (i) => {
      glyphs ??= Promise.all([Promise.all(files.drums.map(loadGlyphs)), Promise.all(files.lcd.map(loadGlyphs))]).then(([drums, lcds]) => ({ drums, lcds }));
      const { drums, lcds } = await glyphs;
      const p = plan[i]!;
      return renderOne(p.value, (p.lcd ? lcds : drums)[p.font]!, p.lcd, createRng(seed * 1_000_003 + i), input);
    },
  });
}

/**
 * A synthetic set from its cache in the OS temp folder (keyed by `key`: whatever the crops depend on),
 * else drawn crop by crop with `render(i)` (its own generator per crop, so a crop does not depend on
 * how the others were drawn) and cached.
 */
export async function renderSyntheticSet(options: {
  name: string;
  key: unknown[];
  input: InputShape;
  values: Float64Array;
  fonts: string[];
  render: (index: number) => Promise<Uint8Array>;
  cache?: boolean;
  onProgress?: (done: number, total: number) => void;
}): Promise<SyntheticSet> {
  const { input, values, fonts } = options;
  const count = values.length;
  const key = createHash('sha1').update(JSON.stringify(options.key)).digest('hex').slice(0, 16);
  const cacheFile = path.join(tmpdir(), 'metertwin-recognizer-cache', `${options.name}-${key}.bin`);
  const bytes = inputValues(input);
  if (options.cache !== false && existsSync(cacheFile)) {
    const pixels = new Uint8Array(await readFile(cacheFile));
    if (pixels.length === count * bytes) return { input, values, pixels, fonts };
  }
  const pixels = new Uint8Array(count * bytes);
  const batch = 16;
  for (let start = 0; start < count; start += batch) {
    const indices = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
    const crops = await Promise.all(indices.map((i) => options.render(i)));
    crops.forEach((c, k) => pixels.set(c, (start + k) * bytes));
    options.onProgress?.(Math.min(start + batch, count), count);
  }
  if (options.cache !== false) {
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, pixels);
  }
  return { input, values, pixels, fonts };
}
