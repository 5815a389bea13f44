import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { composeMeter } from '@metertwin/composer';
import { decodeFrame } from '../src/index.js';
import { greyscaleRgb } from '../src/srgb.js';

describe('greyscaleRgb', () => {
  it("is sharp's greyscale() byte for byte on every one of the 2^24 sRGB colours", async () => {
    const side = 4096;
    const rgb = Buffer.alloc(side * side * 3);
    for (let c = 0; c < side * side; c++) {
      rgb[3 * c] = c >> 16;
      rgb[3 * c + 1] = (c >> 8) & 255;
      rgb[3 * c + 2] = c & 255;
    }
    const bySharp = await sharp(rgb, { raw: { width: side, height: side, channels: 3 } }).greyscale().raw().toBuffer();
    const mine = greyscaleRgb(rgb);
    let differing = 0;
    for (let i = 0; i < bySharp.length; i++) if (mine[i] !== bySharp[i]) differing++;
    expect(differing).toBe(0);
    // control: not a plain average or channel (these differ from libvips' linear-light luminance)
    expect(new Set(bySharp).size).toBe(256);
  }, 60_000);

  it("gives registration's grey frame as its former sharp pipeline (a resize to the same size, greyscale)", async () => {
    for (const [seed, look] of [
      [31, 'day'],
      [32, 'infrared'],
    ] as const) {
      const frame = await decodeFrame((await composeMeter({ value: 12345.678, seed, look })).jpeg);
      const bySharp = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
        .resize(frame.width, frame.height, { fit: 'fill' })
        .greyscale()
        .raw()
        .toBuffer();
      expect(greyscaleRgb(frame.data).equals(bySharp)).toBe(true);
    }
  });
});
