import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeBmp } from '@metertwin/testing';
import { decodeBmp } from '../src/bmp.js';
import { DIGIT_INPUT, preprocessCrop, sourceToRgb } from '../src/input.js';

function pattern(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 37 + Math.floor(i / 7) * 11) % 256;
  return rgb;
}

describe('BMP decoding', () => {
  it('decodes a bottom-up 24-bit BMP with padded rows to top-first RGB', () => {
    const rgb = pattern(3, 5); // width 3: 9 bytes per row, padded to 12
    const decoded = decodeBmp(encodeBmp(3, 5, rgb));
    expect(decoded.width).toBe(3);
    expect(decoded.height).toBe(5);
    expect(Array.from(decoded.data)).toEqual(Array.from(rgb));
  });

  it('rejects files that are not BMP', () => {
    expect(() => decodeBmp(new Uint8Array(64))).toThrow(/not a BMP/);
  });
});

describe('preprocessCrop', () => {
  it('gives the same standardized [32,20,3] tensor for a BMP file, a PNG file and a CropImage', async () => {
    const { width, height } = DIGIT_INPUT;
    const rgb = pattern(width, height);
    const dir = await mkdtemp(path.join(tmpdir(), 'recognizer-input-'));
    const bmpPath = path.join(dir, '3.4_a.bmp');
    const pngPath = path.join(dir, '3.4_a.png');
    await writeFile(bmpPath, encodeBmp(width, height, rgb));
    await sharp(rgb, { raw: { width, height, channels: 3 } }).png().toFile(pngPath);
    const crop = { width, height, channels: 3 as const, data: Buffer.from(rgb).toString('base64') };

    const [a, b, c] = await Promise.all([preprocessCrop(bmpPath), preprocessCrop(pngPath), preprocessCrop(crop)]);
    expect(a.shape).toEqual([32, 20, 3]);
    const [da, db, dc] = await Promise.all([a.data(), b.data(), c.data()]);
    expect(Array.from(da)).toEqual(Array.from(dc));
    expect(Array.from(db)).toEqual(Array.from(dc));
    const values = Array.from(dc);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
    expect(variance).toBeCloseTo(1, 4);
  });

  it('resizes crops of other sizes and greyscale crops to 20x32 RGB', async () => {
    const grey = new Uint8Array(24 * 44).map((_, i) => (i % 24 < 12 ? 30 : 220));
    const rgb = await sourceToRgb({ width: 24, height: 44, channels: 1, data: Buffer.from(grey).toString('base64') });
    expect(rgb.length).toBe(20 * 32 * 3);
    // Left half dark, right half light, all channels equal.
    expect(rgb[0]).toBeLessThan(60);
    expect(rgb[(5 * 20 + 19) * 3]).toBeGreaterThan(190);
    expect(rgb[(5 * 20 + 19) * 3 + 1]).toBe(rgb[(5 * 20 + 19) * 3]);
  });

  it('rejects a crop whose data does not match its size', async () => {
    await expect(sourceToRgb({ width: 20, height: 32, channels: 3, data: 'AAAA' })).rejects.toThrow(/expected 20x32x3/);
  });
});
