import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { imageToPng } from '@metertwin/recognizer/image';
import type { Box, Circle, CounterLayout, Quad } from '@metertwin/contracts';
import { loadDigitCrops, loadPointerCrops, type LabeledCrop } from '@metertwin/sample-data';
import {
  buildAlignment,
  IDENTITY,
  mapBox,
  mapCircle,
  mapQuad,
  matOf,
  multiplyH,
  opencv,
  quadLayout,
  translateH,
  withMats,
  type DecodedFrame,
  type Homography,
} from '@metertwin/vision';
import { createRng, gaussian, pick, uniform } from './random.js';

/**
 * The meter composer: renders a water-meter face (SVG through sharp) and puts REAL labeled digit and
 * pointer crops into its counter window and dials, then applies camera effects. Everything it makes
 * is labeled as composed (a "COMPOSED" mark in the image, the EXIF description and `truth.composed`).
 */
export interface ComposeOptions {
  /** The reading to show, e.g. 1234.5678 or "01234.5678". Wraps around like a real counter. */
  value: number | string;
  /** Black integer drums (default 5). */
  digits?: number;
  /** Red decimal drums (default 3). */
  decimals?: number;
  /** Red pointer dials below the window for further decimals (default 0). */
  pointers?: number;
  /** Picks crops, effects and the crop look; same seed ⇒ identical JPEG bytes. */
  seed?: number;
  /** `day` (colour) or `infrared` (grey night image with an IR-LED hot spot and more noise). */
  look?: 'day' | 'infrared';
  /**
   * Camera effect strength 0–1 (default 0.25). Drives blur, brightness, noise and JPEG quality, and
   * (unless `mount` is given) how the camera is mounted: rotation ≤ 3°·s, shift ≤ 10 px·s. The mount
   * is part of the returned layout, so the layout's boxes land on the digits at any strength.
   */
  effects?: number;
  /**
   * Fixed camera pose (a camera simulator keeps one for every frame), any rotation and a perspective
   * tilt: a counter running 35° across the frame is `{ rotationDeg: 35, shift: [0, 0], tilt: [0.1, 0] }`.
   * Reflected in the layout (its windowQuad).
   */
  mount?: Mount;
  /** Every drum white digits on black, decimals too (default: decimal drums red, as on most water meters). */
  whiteOnBlack?: boolean;
  /**
   * Per-frame camera shake 0–1 (default 0) that the layout does NOT know about (for alignment tests):
   * rotation ≤ 2°·j, shift ≤ 8 px·j, zoom ≤ 4 %·j and perspective tilt ≤ 4 %·j.
   * `truth.digits` always holds the real positions.
   */
  jitter?: number;
  width?: number;
  height?: number;
  /** Digit crops to draw from (default: @metertwin/sample-data). */
  digitCrops?: LabeledCrop[];
  /** Pointer crops (default: @metertwin/sample-data). */
  pointerCrops?: LabeledCrop[];
  /** Use crops of this meter only (default: one picked by the seed). */
  meter?: string;
  /**
   * How the drums drive each other: `jump` (default: a drum moves while its right neighbour passes
   * 9→0) or `continuous` (every drum turns a tenth of its neighbour's turn).
   */
  drive?: 'jump' | 'continuous';
}

export interface Mount {
  rotationDeg: number;
  shift: [number, number];
  /** Zoom about the image centre (default 1). */
  scale?: number;
  /** Perspective: how much larger the right and the bottom edge look than the left and the top (0.04 = 4 %). */
  tilt?: [number, number];
}

/** A random camera mount for a seed: rotation ≤ 3°·strength, shift ≤ 10 px·strength. */
export function randomMount(seed: number, strength = 0.25): Mount {
  const rng = createRng(seed ^ 0x5bd1e995);
  return {
    rotationDeg: Math.round(uniform(rng, -3, 3) * strength * 100) / 100,
    shift: [Math.round(uniform(rng, -10, 10) * strength), Math.round(uniform(rng, -10, 10) * strength)],
  };
}

export interface WheelTruth {
  kind: 'digit' | 'pointer';
  /** Label of the crop shown (tenths of a step, like the data sets' file names). */
  label: number;
  /** Crop file used. */
  file: string;
  red: boolean;
}

export interface ComposeTruth {
  composed: true;
  /** The reading the wheels show: integer drums, then decimals (red drums, then pointers). */
  value: string;
  /** The same with leading zeros, as the drums display it. */
  display: string;
  /** Digit boxes in the output image (after the camera effects), most significant first. */
  digits: Box[];
  pointers: Box[];
  /** Where the layout's alignment marks are in the output image, in the layout's order. */
  marks: Box[];
  wheels: WheelTruth[];
  meter: string;
  look: 'day' | 'infrared';
  seed: number;
  mount: Mount;
  effects: { strength: number; jitter: Mount; blur: number; brightness: number; noise: number; quality: number };
}

export interface ComposedMeter {
  jpeg: Buffer;
  truth: ComposeTruth;
  /** The fixed camera's layout (mount included, per-frame jitter not): what `preprocess` uses. */
  layout: CounterLayout;
}

/** Counter styles the composer makes well: [black drums, red decimal drums, pointer dials]. */
export const COMPOSE_STYLES: readonly (readonly [number, number, number])[] = [
  [5, 3, 0],
  [5, 0, 4],
  [6, 2, 0],
  [8, 0, 0],
  [4, 1, 3],
  [7, 3, 0],
  [4, 0, 0],
];

const COMPOSED_NOTE = 'COMPOSED test image (MeterTwin composer, real digit crops on a rendered meter face)';

/** Groups crops by meter; keeps meters that cover most values. */
function metersOf(crops: LabeledCrop[]): Map<string, LabeledCrop[]> {
  const byMeter = new Map<string, LabeledCrop[]>();
  for (const c of crops) {
    const list = byMeter.get(c.meter) ?? [];
    list.push(c);
    byMeter.set(c.meter, list);
  }
  return byMeter;
}

function circular(a: number, b: number): number {
  const d = Math.abs(a - b) % 10;
  return Math.min(d, 10 - d);
}

/** A crop with exactly this tenth label, else the nearest one showing the same digit, else the nearest. */
function chooseCrop(rng: () => number, crops: LabeledCrop[], label: number): LabeledCrop {
  const t = Math.round(label * 10);
  const exact = crops.filter((c) => Math.round(c.value * 10) === t);
  if (exact.length) return pick(rng, exact);
  const sameDigit = crops.filter((c) => Math.floor(c.value) === Math.floor(label));
  const pool = sameDigit.length ? sameDigit : crops;
  const best = Math.min(...pool.map((c) => circular(c.value, label)));
  return pick(rng, pool.filter((c) => circular(c.value, label) === best));
}

/**
 * Splits a reading into wheel positions like a real counter: a drum turns while the one right of it
 * goes 9→0 (or, with a continuous drive, all the time); the last `pointers` wheels are dials, geared to
 * turn continuously (a dial is a tenth of the way to its next digit for every digit the dial right of
 * it has turned).
 */
export function wheelValues(
  value: number | string,
  digits: number,
  fractional: number,
  pointers = 0,
  drive: 'jump' | 'continuous' = 'jump',
): { labels: number[]; continuous: number[] } {
  const places = fractional + 1; // one more place: how far the last wheel has turned
  const wheels = digits + fractional;
  const modulus = 10 ** (wheels + 1);
  let units = Math.round(Number(value) * 10 ** places);
  if (!Number.isFinite(units) || units < 0) throw new Error(`invalid meter value ${String(value)}`);
  units %= modulus;
  const continuous = new Array<number>(wheels).fill(0);
  for (let k = wheels - 1; k >= 0; k--) {
    const digit = Math.floor(units / 10 ** (wheels - k)) % 10;
    const next = k === wheels - 1 ? units % 10 : continuous[k + 1]!; // position of the wheel to the right, 0–10
    const continuousTurn = drive === 'continuous' || k === wheels - 1 || k >= wheels - pointers;
    continuous[k] = digit + (continuousTurn ? next / 10 : Math.max(0, next - 9));
  }
  return { labels: continuous.map((c) => Math.floor(c * 10 + 1e-6) / 10), continuous };
}

interface Geometry {
  W: number;
  H: number;
  s: number;
  cx: number;
  cy: number;
  R: number;
  drums: Box[];
  window: Box;
  /** The counter window as a layout's windowQuad gives it: the drum row. */
  row: Quad;
  dials: Box[];
}

function geometry(W: number, H: number, nDrums: number, nDials: number, aspect: number): Geometry {
  const s = Math.min(W / 640, H / 480);
  const cx = W / 2;
  const cy = H / 2 + 4 * s;
  const R = 212 * s;
  const gap = Math.round(4 * s);
  const maxWindow = 1.4 * R;
  let drumH = Math.round(58 * s);
  let drumW = Math.round(drumH * aspect);
  const needed = (n: number, w: number) => n * w + (n - 1) * gap;
  if (needed(nDrums, drumW) > maxWindow) {
    drumW = Math.floor((maxWindow - (nDrums - 1) * gap) / nDrums);
    drumH = Math.round(drumW / aspect);
  }
  const total = needed(nDrums, drumW);
  const x0 = Math.round(cx - total / 2);
  const y0 = Math.round(cy - R * 0.45 - drumH / 2);
  // an even drum pitch, like the counters whose window is split into equal drums
  const drums: Box[] = [];
  for (let i = 0; i < nDrums; i++) drums.push([x0 + i * (drumW + gap), y0, drumW, drumH]);
  const pad = Math.round(7 * s);
  const window: Box = [x0 - pad, y0 - pad, total + 2 * pad, drumH + 2 * pad];
  // the drum row with half a gap each side: split in equal cells, each holds one drum, centred
  const row: Quad = [
    [x0 - gap / 2, y0],
    [x0 + total + gap / 2, y0],
    [x0 + total + gap / 2, y0 + drumH],
    [x0 - gap / 2, y0 + drumH],
  ];
  const dials: Box[] = [];
  const dialSize = Math.round(68 * s);
  for (let j = 0; j < nDials; j++) {
    // along an arc in the lower half of the face
    const a = Math.PI / 2 + ((j - (nDials - 1) / 2) * 0.62);
    const dx = cx - Math.cos(a) * R * 0.62 * (nDials > 1 ? 1 : 0);
    const dy = cy + R * 0.22 + Math.sin(a) * R * 0.3;
    dials.push([Math.round(dx - dialSize / 2), Math.round(dy - dialSize / 2), dialSize, dialSize]);
  }
  return { W, H, s, cx, cy, R, drums, window, row, dials };
}

function faceSvg(g: Geometry, nDigits: number, look: 'day' | 'infrared', rng: () => number): string {
  const { W, H, s, cx, cy, R } = g;
  const hue = Math.round(uniform(rng, 190, 230));
  const ring = look === 'day' ? `hsl(${hue},55%,32%)` : '#555';
  const wall = look === 'day' ? ['#8d8a84', '#6f6c67'] : ['#3a3a3a', '#202020'];
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`);
  parts.push(`<defs>
    <linearGradient id="wall" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${wall[0]}"/><stop offset="1" stop-color="${wall[1]}"/></linearGradient>
    <radialGradient id="ring" cx="0.45" cy="0.4" r="0.7"><stop offset="0.7" stop-color="${ring}"/><stop offset="1" stop-color="#1b1b1b"/></radialGradient>
    <radialGradient id="face" cx="0.5" cy="0.45" r="0.6"><stop offset="0" stop-color="#fbfbf7"/><stop offset="1" stop-color="#dcdcd4"/></radialGradient>
    <linearGradient id="drumK" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#050505"/><stop offset="0.5" stop-color="#2a2a2a"/><stop offset="1" stop-color="#050505"/></linearGradient>
    <linearGradient id="drumR" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5a0606"/><stop offset="0.5" stop-color="#c01818"/><stop offset="1" stop-color="#5a0606"/></linearGradient>
  </defs>`);
  parts.push(`<rect width="${W}" height="${H}" fill="url(#wall)"/>`);
  // pipe behind the meter
  parts.push(`<rect x="0" y="${cy - 40 * s}" width="${W}" height="${80 * s}" fill="${look === 'day' ? '#b08a4a' : '#5a5a5a'}" opacity="0.85"/>`);
  parts.push(`<circle cx="${cx}" cy="${cy}" r="${R + 22 * s}" fill="url(#ring)"/>`);
  parts.push(`<circle cx="${cx}" cy="${cy}" r="${R}" fill="url(#face)" stroke="#999" stroke-width="${2 * s}"/>`);
  // scale ticks around the face
  for (let i = 0; i < 60; i++) {
    const a = (i / 60) * 2 * Math.PI;
    const r1 = R - 4 * s;
    const r2 = R - (i % 5 === 0 ? 14 : 8) * s;
    parts.push(
      `<line x1="${cx + Math.cos(a) * r1}" y1="${cy + Math.sin(a) * r1}" x2="${cx + Math.cos(a) * r2}" y2="${cy + Math.sin(a) * r2}" stroke="#444" stroke-width="${(i % 5 === 0 ? 2 : 1) * s}"/>`,
    );
  }
  const [wx, wy, ww, wh] = g.window;
  parts.push(`<rect x="${wx - 3 * s}" y="${wy - 3 * s}" width="${ww + 6 * s}" height="${wh + 6 * s}" rx="${5 * s}" fill="#9a9a9a"/>`);
  parts.push(`<rect x="${wx}" y="${wy}" width="${ww}" height="${wh}" rx="${3 * s}" fill="#101010"/>`);
  g.drums.forEach(([x, y, w, h], i) => {
    parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="url(#${i < nDigits ? 'drumK' : 'drumR'})"/>`);
  });
  const font = `font-family="DejaVu Sans, Arial, sans-serif"`;
  parts.push(`<text x="${wx + ww + 8 * s}" y="${wy + wh * 0.7}" ${font} font-size="${20 * s}" fill="#222">m³</text>`);
  parts.push(`<text x="${cx}" y="${wy - 22 * s}" ${font} font-size="${15 * s}" font-weight="bold" text-anchor="middle" fill="#1d3a66">AQUA·TWIN</text>`);
  parts.push(`<text x="${cx}" y="${cy - R * 0.17}" ${font} font-size="${12 * s}" text-anchor="middle" fill="#333">Q3 = 2,5 m³/h   R160-H   T30</text>`);
  parts.push(`<text x="${cx}" y="${cy - R * 0.17 + 16 * s}" ${font} font-size="${10 * s}" text-anchor="middle" fill="#555">MID  M21 0102  DE-21-MI001</text>`);
  g.dials.forEach(([x, y, w], j) => {
    const r = w / 2;
    parts.push(`<circle cx="${x + r}" cy="${y + r}" r="${r + 4 * s}" fill="#c7c7c0" stroke="#777" stroke-width="${1 * s}"/>`);
    parts.push(`<text x="${x + r}" y="${y + w + 15 * s}" ${font} font-size="${10 * s}" text-anchor="middle" fill="#a00">×0.${'0'.repeat(j)}1</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function glassSvg(g: Geometry, look: 'day' | 'infrared', rng: () => number): string {
  const { W, H, cx, cy, R, s } = g;
  const gx = cx + uniform(rng, -0.35, -0.15) * R;
  const gy = cy + uniform(rng, 0.3, 0.55) * R;
  const hot = look === 'infrared'
    ? `<radialGradient id="ir" cx="0.5" cy="0.5" r="0.6"><stop offset="0" stop-color="#fff" stop-opacity="0.28"/><stop offset="1" stop-color="#000" stop-opacity="0.55"/></radialGradient>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs>
    <linearGradient id="glass" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fff" stop-opacity="0.22"/><stop offset="0.45" stop-color="#fff" stop-opacity="0.04"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></linearGradient>
    <radialGradient id="spot"><stop offset="0" stop-color="#fff" stop-opacity="${look === 'infrared' ? 0.75 : 0.5}"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>
    ${hot}
  </defs>
  <circle cx="${cx}" cy="${cy}" r="${R}" fill="url(#glass)"/>
  <ellipse cx="${gx}" cy="${gy}" rx="${26 * s}" ry="${13 * s}" fill="url(#spot)"/>
  ${look === 'infrared' ? `<rect width="${W}" height="${H}" fill="url(#ir)"/>` : ''}
</svg>`;
}

function labelSvg(W: number, H: number, s: number): Buffer {
  const w = Math.round(96 * s);
  const h = Math.round(18 * s);
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <rect x="${W - w - 4}" y="${H - h - 4}" width="${w}" height="${h}" fill="#000" opacity="0.65"/>
  <text x="${W - w / 2 - 4}" y="${H - 4 - h * 0.27}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${12 * s}" font-weight="bold" text-anchor="middle" fill="#ffd400">COMPOSED</text>
</svg>`);
}

const cropCache = new Map<string, Buffer>();
/** A crop file as PNG: decoded like the recognizer decodes crops (BMP included). */
async function cropFile(file: string): Promise<Buffer> {
  let buf = cropCache.get(file);
  if (!buf) {
    buf = await imageToPng(await readFile(file));
    if (cropCache.size > 2000) cropCache.clear();
    cropCache.set(file, buf);
  }
  return buf;
}

/** Red decimal drums: the real (white-on-black) crop seen through a red drum (screen blend). */
async function redden(img: Buffer, w: number, h: number): Promise<Buffer> {
  return sharp(img)
    .composite([{ input: { create: { width: w, height: h, channels: 3, background: { r: 150, g: 12, b: 12 } } }, blend: 'screen' }])
    .png()
    .toBuffer();
}

/** The (white-on-dark) crop as white digits on a black drum: grey, stretched, its dark drum pushed to black. */
async function whiteOnBlack(img: Buffer): Promise<Buffer> {
  return sharp(img).greyscale().normalise().linear(1.4, -70).toColourspace('srgb').png().toBuffer();
}

async function roundDial(img: Buffer, size: number): Promise<Buffer> {
  const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><circle cx="${size / 2}" cy="${size / 2}" r="${size / 2}" fill="#fff"/></svg>`);
  return sharp(img).ensureAlpha().composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer();
}

/** Composes one meter image. Deterministic for a given seed and crop set. */
export async function composeMeter(options: ComposeOptions): Promise<ComposedMeter> {
  const nDigits = options.digits ?? 5;
  const nDecimals = options.decimals ?? 3;
  const nPointers = options.pointers ?? 0;
  if (nDigits < 1 || nDigits + nDecimals > 12 || nDecimals < 0 || nPointers < 0 || nPointers > 4) {
    throw new Error(`unsupported meter style: ${nDigits} digits, ${nDecimals} decimals, ${nPointers} pointers`);
  }
  const seed = options.seed ?? 1;
  const look = options.look ?? 'day';
  const strength = Math.min(1, Math.max(0, options.effects ?? 0.25));
  const W = options.width ?? 640;
  const H = options.height ?? 480;
  const rng = createRng(seed);

  const digitCrops = options.digitCrops ?? loadDigitCrops();
  const meters = metersOf(digitCrops);
  const usable = [...meters.keys()].filter((m) => new Set(meters.get(m)!.map((c) => Math.round(c.value * 10))).size >= 50).sort();
  const meter = options.meter ?? pick(rng, usable.length ? usable : [...meters.keys()].sort());
  const crops = meters.get(meter);
  if (!crops?.length) throw new Error(`no digit crops for meter "${meter}"`);
  const pointerCrops = nPointers > 0 ? (options.pointerCrops ?? loadPointerCrops()) : [];
  if (nPointers > 0 && pointerCrops.length === 0) throw new Error('pointer dials need pointer crops');

  const nDrums = nDigits + nDecimals;
  const { labels, continuous } = wheelValues(options.value, nDigits, nDecimals + nPointers, nPointers, options.drive);
  const sizes = await Promise.all(crops.slice(0, 25).map(async (c) => sharp(await cropFile(c.file)).metadata()));
  const aspects = sizes.map((m) => (m.width ?? 1) / (m.height ?? 1)).sort((a, b) => a - b);
  const aspect = aspects[Math.floor(aspects.length / 2)] ?? 0.55;
  const g = geometry(W, H, nDrums, nPointers, aspect);

  // choose the crops
  const wheels: WheelTruth[] = [];
  for (let i = 0; i < nDrums; i++) {
    const c = chooseCrop(rng, crops, labels[i]!);
    wheels.push({ kind: 'digit', label: c.value, file: c.file, red: !options.whiteOnBlack && i >= nDigits });
  }
  for (let j = 0; j < nPointers; j++) {
    const c = chooseCrop(rng, pointerCrops, Math.floor(continuous[nDrums + j]! * 10) / 10);
    wheels.push({ kind: 'pointer', label: c.value, file: c.file, red: true });
  }

  const face = faceSvg(g, nDigits, look, rng);
  const layers: sharp.OverlayOptions[] = [];
  for (let i = 0; i < nDrums; i++) {
    const [x, y, w, h] = g.drums[i]!;
    let img = await sharp(await cropFile(wheels[i]!.file)).resize(w, h, { fit: 'fill' }).png().toBuffer();
    if (options.whiteOnBlack) img = await whiteOnBlack(img);
    else if (wheels[i]!.red) img = await redden(img, w, h);
    layers.push({ input: img, left: x, top: y });
  }
  for (let j = 0; j < nPointers; j++) {
    const [x, y, w] = g.dials[j]!;
    const img = await sharp(await cropFile(wheels[nDrums + j]!.file)).resize(w, w, { fit: 'fill' }).png().toBuffer();
    layers.push({ input: await roundDial(img, w), left: x, top: y });
  }
  layers.push({ input: Buffer.from(glassSvg(g, look, rng)) });
  const rendered = await sharp(Buffer.from(face)).composite(layers).flatten().removeAlpha().raw().toBuffer({ resolveWithObject: true });

  // camera: one homography per frame (mount, then the per-frame shake the layout does not know about)
  const mount = options.mount ?? randomMount(seed, strength);
  const j = Math.min(1, Math.max(0, options.jitter ?? 0));
  const jitter: Mount = {
    rotationDeg: Math.round(uniform(rng, -2, 2) * j * 100) / 100,
    shift: [Math.round(uniform(rng, -8, 8) * j), Math.round(uniform(rng, -8, 8) * j)],
  };
  const blur = Math.round((strength > 0 ? 0.3 + uniform(rng, 0, 1.2) * strength : 0) * 100) / 100;
  const brightness = Math.round((1 + uniform(rng, -0.35, 0.35) * strength) * (look === 'infrared' ? 0.85 : 1) * 100) / 100;
  const noise = Math.round((2 + 14 * strength + (look === 'infrared' ? 6 : 0)) * 10) / 10;
  const quality = Math.round(92 - 35 * strength * rng());
  if (j > 0) {
    jitter.scale = Math.round((1 + uniform(rng, -0.04, 0.04) * j) * 1000) / 1000;
    jitter.tilt = [Math.round(uniform(rng, -0.04, 0.04) * j * 1000) / 1000, Math.round(uniform(rng, -0.04, 0.04) * j * 1000) / 1000];
  }
  const raw = { raw: { width: W, height: H, channels: 3 as const } };
  const mountH = poseH(mount, W, H);
  const cameraH = multiplyH(poseH(jitter, W, H), mountH);
  const faceFrame: DecodedFrame = { data: rendered.data, width: W, height: H, channels: 3 };
  const camera = isIdentity(cameraH) ? faceFrame : await warpFrame(faceFrame, cameraH);
  const reference = isIdentity(mountH) ? faceFrame : await warpFrame(faceFrame, mountH);
  let pipeline = sharp(camera.data, raw);
  if (blur >= 0.3) pipeline = pipeline.blur(blur);
  pipeline = pipeline.modulate({ brightness });
  if (look === 'infrared') {
    const grey: [number, number, number] = [0.299, 0.587, 0.114];
    pipeline = pipeline.recomb([grey, grey, grey]).linear(0.8, 18);
  }
  const pixels = await pipeline.raw().toBuffer();
  // sensor noise (luminance), seeded
  const nrng = createRng(seed ^ 0x9e3779b9);
  for (let p = 0; p < pixels.length; p += 3) {
    const d = gaussian(nrng) * noise;
    pixels[p] = clamp8(pixels[p]! + d);
    pixels[p + 1] = clamp8(pixels[p + 1]! + d);
    pixels[p + 2] = clamp8(pixels[p + 2]! + d);
  }
  const jpeg = await sharp(pixels, raw)
    .composite([{ input: labelSvg(W, H, g.s) }])
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .withExif({ IFD0: { ImageDescription: COMPOSED_NOTE, Software: 'MeterTwin composer' } })
    .toBuffer();

  const size = { width: W, height: H };
  const digitsOut = g.drums.map((b) => mapBox(cameraH, b, size));
  const pointersOut = g.dials.map((b) => mapBox(cameraH, b, size));
  const fixed = (b: Box) => mapBox(mountH, b, size);
  const faceMarks = markBoxes(g);
  const layout = quadLayout({ windowQuad: mapQuad(mountH, g.row), drums: nDrums, dials: g.dials.map((b) => mapCircle(mountH, circleOf(b), 0)) }, size);
  layout.alignment = await buildAlignment(reference, layout, faceMarks.map(fixed));
  const intPart = wheels.slice(0, nDigits).map((w) => Math.floor(w.label)).join('');
  const frac = wheels.slice(nDigits).map((w) => Math.floor(w.label)).join('');
  const display = frac ? `${intPart}.${frac}` : intPart;
  const value = frac ? `${String(Number(intPart))}.${frac}` : String(Number(intPart));
  return {
    jpeg,
    truth: {
      composed: true,
      value,
      display,
      digits: digitsOut,
      pointers: pointersOut,
      marks: faceMarks.map((b) => mapBox(cameraH, b, size)),
      wheels,
      meter,
      look,
      seed,
      mount,
      effects: { strength, jitter, blur, brightness, noise, quality },
    },
    layout,
  };
}

/**
 * Where the rendered face lands for a camera pose: perspective tilt and zoom about the image centre,
 * rotation about it, then shift.
 */
function poseH(pose: Mount, W: number, H: number): Homography {
  const a = (pose.rotationDeg * Math.PI) / 180;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  const z = pose.scale ?? 1;
  const [tx, ty] = pose.tilt ?? [0, 0];
  const tilt: Homography = [1, 0, 0, 0, 1, 0, -tx / (W / 2), -ty / (H / 2), 1];
  const rotate: Homography = [z * cos, -z * sin, 0, z * sin, z * cos, 0, 0, 0, 1];
  return multiplyH(translateH(W / 2 + pose.shift[0], H / 2 + pose.shift[1]), multiplyH(rotate, multiplyH(tilt, translateH(-W / 2, -H / 2))));
}

function isIdentity(h: Homography): boolean {
  return h.every((v, i) => Math.abs(v - IDENTITY[i]!) < 1e-12);
}

/** The frame seen through `h` (bilinear; outside the face: grey wall). */
async function warpFrame(frame: DecodedFrame, h: Homography): Promise<DecodedFrame> {
  const { cv } = await opencv();
  return withMats((keep) => {
    const src = keep(matOf(cv, frame.data, frame.width, frame.height, 3));
    const dst = keep(new cv.Mat());
    const M = keep(cv.matFromArray(3, 3, cv.CV_64F, h));
    cv.warpPerspective(src, dst, M, new cv.Size(frame.width, frame.height), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Scalar(119, 119, 119, 255));
    return { data: Buffer.from(dst.data), width: frame.width, height: frame.height, channels: 3 };
  });
}

/**
 * Alignment marks of the rendered face: the four outer corners of the window bezel, the brand
 * name, the "m³" sign and the middle of the data line. Print and frame, never drum content.
 */
function markBoxes(g: Geometry): Box[] {
  const { s, cx, cy, R } = g;
  const [wx, wy, ww, wh] = g.window;
  const c = Math.round(14 * s);
  const b = 3 * s;
  const corner = (x: number, y: number): Box => [Math.round(x - c), Math.round(y - c), 2 * c, 2 * c];
  const dataLine = cy - R * 0.17;
  return [
    corner(wx - b, wy - b),
    corner(wx + ww + b, wy - b),
    corner(wx + ww + b, wy + wh + b),
    corner(wx - b, wy + wh + b),
    [Math.round(cx - 45 * s), Math.round(wy - 36 * s), Math.round(90 * s), Math.round(18 * s)],
    [Math.round(wx + ww + 5 * s), Math.round(wy + wh * 0.7 - 19 * s), Math.round(28 * s), Math.round(24 * s)],
    [Math.round(cx - 50 * s), Math.round(dataLine - 12 * s), Math.round(100 * s), Math.round(16 * s)],
  ];
}

/** The circle inscribed in a dial's box. */
function circleOf([x, y, w]: Box): Circle {
  return [x + w / 2, y + w / 2, w / 2];
}

function clamp8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

