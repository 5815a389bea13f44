import sharp from 'sharp';
import { createRng, DIGIT_INPUT, type InputShape, inputValues, type Rng, uniform } from '@metertwin/recognizer';

/**
 * Generated crops that are not a digit or pointer (blank, black, noise, letters, stripes): the
 * model is trained to give them a flat output (low confidence), and the rejection rate is
 * measured on a separate test set. Letters that look like digits (O, I, S, B, Z, g, …) are in
 * neither set; train and test letters are disjoint.
 */
export const TRAIN_LETTERS = 'ACEFHJKMacefhkmn';
export const TEST_LETTERS = 'LNPRTUVWXYdprtuvwxy';
const TRAIN_FONTS = ['DejaVu Sans', 'DejaVu Serif'];
const TEST_FONTS = ['Liberation Sans', 'Liberation Mono', 'DejaVu Sans Mono'];

export type JunkKind = 'blank' | 'black' | 'noise' | 'letter' | 'stripes' | 'gradient';

export interface JunkCrop {
  kind: JunkKind;
  rgb: Uint8Array;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

async function renderLetter(ch: string, font: string, fg: string, bg: string, shape: InputShape): Promise<Uint8Array> {
  const size = Math.round(shape.height * 0.85);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${shape.width}" height="${shape.height}">` +
    `<rect width="100%" height="100%" fill="${bg}"/>` +
    `<text x="${shape.width / 2}" y="${Math.round(shape.height * 0.8)}" font-family="${font}" font-size="${size}" text-anchor="middle" fill="${fg}">${escapeXml(ch)}</text></svg>`;
  const { data } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(0, inputValues(shape));
}

const grey = (rng: Rng, lo: number, hi: number) => Math.round(uniform(rng, lo, hi));
const colour = (rng: Rng) => `rgb(${grey(rng, 0, 255)},${grey(rng, 0, 255)},${grey(rng, 0, 255)})`;

function flat(shape: InputShape, rng: Rng, lo: number, hi: number, noise: number): Uint8Array {
  const out = new Uint8Array(inputValues(shape));
  const base = [grey(rng, lo, hi), grey(rng, lo, hi), grey(rng, lo, hi)];
  const tint = rng() < 0.5;
  for (let i = 0; i < out.length; i++) {
    const b = tint ? base[i % 3]! : base[0]!;
    out[i] = Math.min(255, Math.max(0, b + noise * (rng() - 0.5) * 2));
  }
  return out;
}

function noiseCrop(shape: InputShape, rng: Rng): Uint8Array {
  const out = new Uint8Array(inputValues(shape));
  const mono = rng() < 0.5;
  for (let i = 0; i < out.length; i += 3) {
    const v = grey(rng, 0, 255);
    out[i] = v;
    out[i + 1] = mono ? v : grey(rng, 0, 255);
    out[i + 2] = mono ? v : grey(rng, 0, 255);
  }
  return out;
}

function stripes(shape: InputShape, rng: Rng): Uint8Array {
  const out = new Uint8Array(inputValues(shape));
  const period = 2 + Math.floor(rng() * 8);
  const vertical = rng() < 0.5;
  const [a, b] = [grey(rng, 0, 120), grey(rng, 135, 255)];
  for (let y = 0; y < shape.height; y++)
    for (let x = 0; x < shape.width; x++) out.fill(Math.floor((vertical ? x : y) / period) % 2 ? a : b, (y * shape.width + x) * 3, (y * shape.width + x) * 3 + 3);
  return out;
}

function gradient(shape: InputShape, rng: Rng): Uint8Array {
  const out = new Uint8Array(inputValues(shape));
  const [a, b] = [grey(rng, 0, 255), grey(rng, 0, 255)];
  const angle = rng() * Math.PI * 2;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const span = Math.abs(c) * shape.width + Math.abs(s) * shape.height;
  for (let y = 0; y < shape.height; y++)
    for (let x = 0; x < shape.width; x++) {
      const t = Math.min(1, Math.max(0, ((x - shape.width / 2) * c + (y - shape.height / 2) * s) / span + 0.5));
      out.fill(Math.round(a + (b - a) * t), (y * shape.width + x) * 3, (y * shape.width + x) * 3 + 3);
    }
  return out;
}

/** Training junk: flat colours, noise, stripes, gradients and TRAIN_LETTERS (augmented further in training). */
export async function trainingJunk(shape: InputShape = DIGIT_INPUT, seed = 7): Promise<JunkCrop[]> {
  const rng = createRng(seed);
  const out: JunkCrop[] = [];
  for (let i = 0; i < 40; i++) out.push({ kind: 'blank', rgb: flat(shape, rng, 0, 255, uniform(rng, 0, 20)) });
  for (let i = 0; i < 40; i++) out.push({ kind: 'noise', rgb: noiseCrop(shape, rng) });
  for (let i = 0; i < 30; i++) out.push({ kind: 'stripes', rgb: stripes(shape, rng) });
  for (let i = 0; i < 30; i++) out.push({ kind: 'gradient', rgb: gradient(shape, rng) });
  for (const ch of TRAIN_LETTERS)
    for (const font of TRAIN_FONTS) {
      const dark = rng() < 0.5;
      const [fg, bg] = dark ? ['rgb(20,20,20)', 'rgb(235,235,235)'] : ['rgb(240,240,240)', 'rgb(25,25,25)'];
      out.push({ kind: 'letter', rgb: await renderLetter(ch, font, rng() < 0.3 ? colour(rng) : fg, bg, shape) });
    }
  return out;
}

/**
 * The junk test set: 50 blank (white/grey, light noise), 50 black, 50 noise, and every TEST_LETTERS
 * letter in three fonts, black on white and white on black (114). Deterministic.
 */
export async function testJunk(shape: InputShape = DIGIT_INPUT, seed = 1234): Promise<JunkCrop[]> {
  const rng = createRng(seed);
  const out: JunkCrop[] = [];
  for (let i = 0; i < 50; i++) out.push({ kind: 'blank', rgb: flat(shape, rng, 170, 255, uniform(rng, 0, 6)) });
  for (let i = 0; i < 50; i++) out.push({ kind: 'black', rgb: flat(shape, rng, 0, 30, uniform(rng, 0, 6)) });
  for (let i = 0; i < 50; i++) out.push({ kind: 'noise', rgb: noiseCrop(shape, rng) });
  for (const ch of TEST_LETTERS)
    for (const font of TEST_FONTS) {
      out.push({ kind: 'letter', rgb: await renderLetter(ch, font, 'black', 'white', shape) });
      out.push({ kind: 'letter', rgb: await renderLetter(ch, font, 'white', 'black', shape) });
    }
  return out;
}
