/**
 * Minimal BMP decoder (sharp/libvips cannot read BMP). Handles the uncompressed forms that occur in
 * the digit data (24-bit BITMAPINFOHEADER) plus 32-bit and 8/4/1-bit palettised files, bottom-up or
 * top-down. Returns interleaved RGB.
 */
export interface RawRgb {
  width: number;
  height: number;
  /** width * height * 3 bytes, row-major, top row first. */
  data: Uint8Array;
}

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length > 26 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export function decodeBmp(bytes: Uint8Array): RawRgb {
  if (!isBmp(bytes)) throw new Error('not a BMP file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize < 40) throw new Error(`unsupported BMP header size ${headerSize}`);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bpp = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  // 0 = BI_RGB; 3 = BI_BITFIELDS is accepted for 32-bit files in the common BGRA layout.
  if (compression !== 0 && !(compression === 3 && bpp === 32)) {
    throw new Error(`unsupported BMP compression ${compression}`);
  }
  if (width <= 0 || rawHeight === 0) throw new Error('invalid BMP size');
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (pixelOffset + stride * height > bytes.length) throw new Error('truncated BMP file');

  let palette: Uint8Array | undefined;
  if (bpp <= 8) {
    const colours = view.getUint32(46, true) || 1 << bpp;
    const start = 14 + headerSize;
    palette = new Uint8Array(colours * 3);
    for (let i = 0; i < colours; i++) {
      palette[i * 3] = bytes[start + i * 4 + 2]!;
      palette[i * 3 + 1] = bytes[start + i * 4 + 1]!;
      palette[i * 3 + 2] = bytes[start + i * 4]!;
    }
  } else if (bpp !== 24 && bpp !== 32) {
    throw new Error(`unsupported BMP bit depth ${bpp}`);
  }

  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (palette) {
        const bitPos = x * bpp;
        const byte = bytes[row + (bitPos >> 3)]!;
        const index = (byte >> (8 - bpp - (bitPos & 7))) & ((1 << bpp) - 1);
        out[o] = palette[index * 3] ?? 0;
        out[o + 1] = palette[index * 3 + 1] ?? 0;
        out[o + 2] = palette[index * 3 + 2] ?? 0;
      } else {
        const p = row + x * (bpp / 8);
        out[o] = bytes[p + 2]!;
        out[o + 1] = bytes[p + 1]!;
        out[o + 2] = bytes[p]!;
      }
    }
  }
  return { width, height, data: out };
}
