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

/** Linear 0–1 → sRGB byte, clipped, interpolated in the table (libvips `vips_col_scRGB2sRGB_8`). */
export function linearToByte(v: number): number {
  let y = f32(v * 255);
  if (y < 0) y = 0;
  else if (y > 255) y = 255;
  const i = Math.trunc(y);
  return roundHalfEven(f32(Y2V[i]! + f32((Y2V[i + 1]! - Y2V[i]!) * f32(y - i))));
}

/**
 * `sharp(rgb, { raw }).greyscale().raw()` of interleaved 8-bit sRGB: libvips' B_W, the linear-light
 * Rec. 709 luminance encoded back to sRGB.
 */
export function greyscaleRgb(rgb: Uint8Array): Buffer {
  const out = Buffer.alloc(rgb.length / 3);
  for (let p = 0, o = 0; p < out.length; p++, o += 3) {
    const y = f32(f32(f32(f32(0.2126) * V2Y[rgb[o]!]!) + f32(f32(0.7152) * V2Y[rgb[o + 1]!]!)) + f32(f32(0.0722) * V2Y[rgb[o + 2]!]!));
    out[p] = linearToByte(y);
  }
  return out;
}
