/**
 * sharp's `normalise()` (lower 1 %, upper 99 %) on a small raw sRGB image, in JS: the same arithmetic
 * as libvips 8.17 (sharp's bundled build), float32 where it uses float, so a crop comes out as sharp
 * made it without a libvips pipeline per crop (whose colour conversions and 65,536-bin luminance
 * histograms cost about 4 ms CPU a crop). sharp: the image to Lab, the 1st and 99th percentile of L
 * (`vips_percent` on L cast to ushort), L stretched linearly so they become 0 and 100, back to sRGB.
 * Its tables and steps follow libvips' colour/LabQ2sRGB.c, XYZ2Lab.c, Lab2XYZ.c, histogram/percent.c.
 */
import { f32, linearToByte, V2Y } from './srgb.js';

const D65_X0 = 95.047;
const D65_Y0 = 100.0;
const D65_Z0 = 108.8827;
const QUANT_ELEMENTS = 100000;

/** Cube roots for XYZ → Lab, interpolated between (libvips `cbrt_table`). */
const CBRT = new Float32Array(QUANT_ELEMENTS);
for (let i = 0; i < QUANT_ELEMENTS; i++) {
  const y = f32(i / QUANT_ELEMENTS);
  CBRT[i] = y < 0.008856 ? f32(f32(f32(7.787) * y) + f32(16 / 116)) : f32(Math.cbrt(y));
}

/** L's histogram, reused (kept all zero between calls): one per call would zero 256 kB each time. */
const LUMINANCE_BINS = new Uint32Array(65536);

function cubeRoot(v: number): number {
  const i = Math.min(Math.max(Math.trunc(v), 0), QUANT_ELEMENTS - 2);
  const f = f32(v - i);
  return f32(CBRT[i]! + f32(f * f32(CBRT[i + 1]! - CBRT[i]!)));
}

/**
 * libvips' `vips_percent` of a luminance channel: the first bin of its histogram (of values cast to
 * ushort, as many bins as the largest value + 1) whose cumulative share, scaled to the bins and cut
 * to an integer, exceeds `percent` of the bins.
 */
function percentile(bins: Uint32Array, size: number, pixels: number, percent: number): number {
  const scale = f32((size - 1) / pixels);
  const threshold = (percent / 100) * size;
  let cumulative = 0;
  for (let i = 0; i < size; i++) {
    cumulative += bins[i]!;
    if (Math.trunc(f32(scale * cumulative)) > threshold) return i;
  }
  return size;
}

/** `sharp(rgb, { raw }).normalise().raw()` of interleaved 8-bit sRGB, as a new buffer. */
export function normaliseRgb(rgb: Uint8Array): Buffer {
  const n = rgb.length / 3;
  const lab = new Float32Array(rgb.length);
  const bins = LUMINANCE_BINS;
  let top = 0;
  for (let p = 0, o = 0; p < n; p++, o += 3) {
    const r = f32(V2Y[rgb[o]!]! * D65_Y0);
    const g = f32(V2Y[rgb[o + 1]!]! * D65_Y0);
    const b = f32(V2Y[rgb[o + 2]!]! * D65_Y0);
    const x = f32(f32(f32(f32(0.4124) * r) + f32(f32(0.3576) * g)) + f32(f32(0.1805) * b));
    const y = f32(f32(f32(f32(0.2126) * r) + f32(f32(0.7152) * g)) + f32(f32(0.0722) * b));
    const z = f32(f32(f32(f32(0.0193) * r) + f32(f32(0.1192) * g)) + f32(f32(0.9505) * b));
    const cbx = cubeRoot(f32(f32(QUANT_ELEMENTS * x) / D65_X0));
    const cby = cubeRoot(f32(f32(QUANT_ELEMENTS * y) / D65_Y0));
    const cbz = cubeRoot(f32(f32(QUANT_ELEMENTS * z) / D65_Z0));
    const L = f32(f32(116 * cby) - 16);
    lab[o] = L;
    lab[o + 1] = f32(500 * f32(cbx - cby));
    lab[o + 2] = f32(200 * f32(cby - cbz));
    const bin = Math.min(Math.max(Math.trunc(L), 0), 65535);
    bins[bin]!++;
    if (bin > top) top = bin;
  }
  const low = percentile(bins, top + 1, n, 1);
  const high = percentile(bins, top + 1, n, 99);
  bins.fill(0, 0, top + 1);
  if (Math.abs(high - low) <= 1) return Buffer.from(rgb);
  const gain = f32(100 / (high - low));
  const offset = f32(-(low * (100 / (high - low))));
  const out = Buffer.alloc(rgb.length);
  for (let o = 0; o < rgb.length; o += 3) {
    const L = f32(f32(gain * lab[o]!) + offset);
    const [X, Y, Z] = labToXyz(L, lab[o + 1]!, lab[o + 2]!);
    const x = f32(X / D65_Y0);
    const y = f32(Y / D65_Y0);
    const z = f32(Z / D65_Y0);
    out[o] = linearToByte(f32(f32(f32(f32(3.240625) * x) + f32(f32(-1.537208) * y)) + f32(f32(-0.498629) * z)));
    out[o + 1] = linearToByte(f32(f32(f32(f32(-0.968931) * x) + f32(f32(1.875756) * y)) + f32(f32(0.041518) * z)));
    out[o + 2] = linearToByte(f32(f32(f32(f32(0.05571) * x) + f32(f32(-0.204021) * y)) + f32(f32(1.056996) * z)));
  }
  return out;
}

/** libvips' Lab → XYZ (D65), in double, each result stored as float. */
function labToXyz(L: number, a: number, b: number): [number, number, number] {
  let Y: number;
  let cby: number;
  if (L < 8.0) {
    Y = f32((L * D65_Y0) / 903.3);
    cby = 7.787 * (Y / D65_Y0) + 16.0 / 116.0;
  } else {
    cby = (L + 16.0) / 116.0;
    Y = f32(D65_Y0 * cby * cby * cby);
  }
  let t = a / 500.0 + cby;
  const X = f32(t < 0.2069 ? (D65_X0 * (t - 0.13793)) / 7.787 : D65_X0 * t * t * t);
  t = cby - b / 200.0;
  const Z = f32(t < 0.2069 ? (D65_Z0 * (t - 0.13793)) / 7.787 : D65_Z0 * t * t * t);
  return [X, Y, Z];
}
