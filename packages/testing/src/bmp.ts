// Tests need BMP crops (the digit data set has them; sharp cannot write them).

/** A 24-bit bottom-up BMP, rows padded to 4 bytes, from RGB pixels. */
export function encodeBmp(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = new Uint8Array(54 + stride * height);
  const v = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  v.setUint32(2, out.length, true);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 24, true);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = 54 + (height - 1 - y) * stride + x * 3;
      const s = (y * width + x) * 3;
      out[p] = rgb[s + 2]!;
      out[p + 1] = rgb[s + 1]!;
      out[p + 2] = rgb[s]!;
    }
  }
  return out;
}
