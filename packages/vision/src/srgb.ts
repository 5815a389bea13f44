/**
 * libvips 8.17's 8-bit sRGB ↔ linear light (sharp's bundled build; libvips colour/LabQ2sRGB.c,
 * scRGB2BW.c), float32 where it uses float: what `normaliseRgb` and `greyscaleRgb` build on to give
 * sharp's pixels byte for byte without a libvips pipeline.
 */
export const f32 = Math.fround;

/** sRGB byte → linear 0–1 (libvips `vips_v2Y_8`). */
export const V2Y = new Float32Array(256);
/** Linear ×255 → sRGB byte, one extra element for the interpolation (libvips `vips_Y2v_8`). */
const Y2V = new Int32Array(257);
for (let i = 0; i < 256; i++) {
  const f = f32(i / 255);
  const v = f <= 0.0031308 ? f32(f32(12.92) * f) : f32(f32(f32(1 + f32(0.055)) * f32(Math.pow(f, f32(f32(1) / f32(2.4))))) - f32(0.055));
  Y2V[i] = roundHalfEven(f32(255 * v));
  V2Y[i] = f <= 0.04045 ? f32(f / f32(12.92)) : f32(Math.pow(f32(f32(f + f32(0.055)) / f32(1 + f32(0.055))), f32(2.4)));
}
Y2V[256] = Y2V[255]!;

/** C's rintf in the default rounding mode: halves to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Linear 0–1 → sRGB byte, clipped, interpolated in the table: libvips `vips_col_scRGB2sRGB_8`, step by step. */
function interpolatedByte(v: number): number {
  let y = f32(v * 255);
  if (y < 0) y = 0;
  else if (y > 255) y = 255;
  const i = Math.trunc(y);
  return roundHalfEven(f32(Y2V[i]! + f32((Y2V[i + 1]! - Y2V[i]!) * f32(y - i))));
}

const f32Bits = new Float32Array(1);
const f32Int = new Uint32Array(f32Bits.buffer);
/**
 * `interpolatedByte` never decreases as its (float32) argument grows: STEPS[k] is the least float32
 * it maps to k or more (k ≥ 1, found by bisecting the bit patterns of 0 < v ≤ 1), so a lookup is a
 * binary search instead of the float arithmetic (which made a frame's greyscale as slow as sharp's).
 */
const STEPS = new Float64Array(256);
for (let k = 1; k < 256; k++) {
  let lo = 0;
  let hi = 0x3f800000; // float32 bits of 1.0, which maps to 255
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    f32Int[0] = mid;
    if (interpolatedByte(f32Bits[0]!) >= k) hi = mid;
    else lo = mid + 1;
  }
  f32Int[0] = lo;
  STEPS[k] = f32Bits[0]!;
}
STEPS[0] = -Infinity;

/**
 * The byte at the start of each 1/65,536 of 0–1. STEPS lie at least 1/(255 × 12.92) apart (sRGB's
 * steepest slope), so one such bucket holds at most one of them: the bucket's byte, or the next.
 */
const BUCKETS = 65536;
const BUCKET_START = new Uint8Array(BUCKETS + 1);
for (let b = 0, k = 0; b <= BUCKETS; b++) {
  while (k < 255 && STEPS[k + 1]! <= b / BUCKETS) k++;
  BUCKET_START[b] = k;
  if (b > 0 && k - BUCKET_START[b - 1]! > 1) throw new Error('sRGB steps closer than a bucket');
}

/** Linear 0–1 (a float32 value) → sRGB byte exactly as libvips encodes it (`vips_col_scRGB2sRGB_8`). */
export function linearToByte(v: number): number {
  if (!(v > 0)) return 0;
  if (v >= 1) return 255;
  const k = BUCKET_START[Math.floor(v * BUCKETS)]!;
  return v >= STEPS[k + 1]! ? k + 1 : k;
}

/** Each channel's share of the luminance, as libvips multiplies it (float32). */
const LUMA_R = V2Y.map((y) => f32(f32(0.2126) * y));
const LUMA_G = V2Y.map((y) => f32(f32(0.7152) * y));
const LUMA_B = V2Y.map((y) => f32(f32(0.0722) * y));

/**
 * `sharp(rgb, { raw }).greyscale().raw()` of interleaved 8-bit sRGB: libvips' B_W, the linear-light
 * Rec. 709 luminance encoded back to sRGB.
 */
export function greyscaleRgb(rgb: Uint8Array): Buffer {
  const out = Buffer.alloc(rgb.length / 3);
  for (let p = 0, o = 0; p < out.length; p++, o += 3) {
    out[p] = linearToByte(f32(f32(LUMA_R[rgb[o]!]! + LUMA_G[rgb[o + 1]!]!) + LUMA_B[rgb[o + 2]!]!));
  }
  return out;
}
