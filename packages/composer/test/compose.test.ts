import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CounterLayoutSchema } from '@metertwin/contracts';
import { loadDigitCrops } from '@metertwin/sample-data';
import { encodeBmp } from '@metertwin/testing';
import { composeMeter, wheelValues } from '../src/index.js';

describe('wheelValues', () => {
  it('turns drums like a real counter', () => {
    expect(wheelValues(1234.567, 5, 3).labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // 0199.95: the last drum is half way 9→0, so are the drums left of it that show 9
    expect(wheelValues(199.95, 4, 1).labels).toEqual([0, 1.5, 9.5, 9.5, 9.5]);
    expect(wheelValues('00042.13', 5, 2).labels).toEqual([0, 0, 0, 4, 2, 1, 3]);
    // wraps around like the hardware
    expect(wheelValues(123456, 5, 0).labels).toEqual([2, 3, 4, 5, 6]);
  });

  it('turns pointer dials continuously, geared to the dial right of them', () => {
    // 0123.4567 with 3 dials: the dials stand at 5.67, 6.7, 7.0, the red drum rests on 4
    const { labels, continuous } = wheelValues('0123.4567', 4, 4, 3);
    expect(labels).toEqual([0, 1, 2, 3, 4, 5.6, 6.7, 7]);
    expect(continuous[5]).toBeCloseTo(5.67, 5);
    // a dial at 9.8 turns the drum left of it like a drum would
    expect(wheelValues('0123.4985', 4, 4, 3).labels).toEqual([0, 1, 2, 3, 4.8, 9.8, 8.5, 5]);
  });

  it('turns every drum a tenth of its neighbour with a continuous drive', () => {
    expect(wheelValues(1234.5, 4, 1, 0, 'continuous').labels).toEqual([1.2, 2.3, 3.4, 4.5, 5]);
  });
});

describe('composeMeter', () => {
  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await composeMeter({ value: 1234.567, seed: 42 });
    const b = await composeMeter({ value: 1234.567, seed: 42 });
    const c = await composeMeter({ value: 1234.567, seed: 43 });
    expect(Buffer.compare(a.jpeg, b.jpeg)).toBe(0);
    expect(a.truth).toEqual(b.truth);
    expect(Buffer.compare(a.jpeg, c.jpeg)).not.toBe(0);
  });

  it('returns a valid layout, the true value and marks the image as composed', async () => {
    const m = await composeMeter({ value: 98765.4321, digits: 5, decimals: 0, pointers: 4, seed: 3, look: 'infrared' });
    expect(CounterLayoutSchema.parse(m.layout).digits).toHaveLength(5);
    expect(m.layout.pointers).toHaveLength(4);
    expect(m.truth.composed).toBe(true);
    expect(m.truth.value).toMatch(/^98765\.\d{4}$/);
    expect(m.truth.digits).toHaveLength(5);
    const meta = await sharp(m.jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    expect(meta.exif?.toString('latin1')).toContain('COMPOSED');
    // infrared is grey: channels agree
    const stats = await sharp(m.jpeg).stats();
    expect(Math.abs(stats.channels[0]!.mean - stats.channels[2]!.mean)).toBeLessThan(3);
  });

  it('puts the camera mount into the layout; only jitter moves digits away from it', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const m = await composeMeter({ value: 55555.555, digits: 5, decimals: 3, seed, effects: 0.6 });
      expect(Math.abs(m.truth.mount.rotationDeg) + Math.abs(m.truth.mount.shift[0])).toBeGreaterThan(0);
      // a layout's digit box is the drum's cell: the drum plus half the 4 px gap each side
      m.layout.digits.forEach((box, i) => {
        const t = m.truth.digits[i]!;
        expect(Math.abs(t[0] - box[0])).toBeLessThanOrEqual(3);
        expect(Math.abs(t[1] - box[1])).toBeLessThanOrEqual(1);
      });
    }
    const shaken = await composeMeter({ value: 1, seed: 1, effects: 0, jitter: 1 });
    const moved = shaken.layout.digits.map((b, i) => Math.abs(b[0] - shaken.truth.digits[i]![0]) + Math.abs(b[1] - shaken.truth.digits[i]![1]));
    expect(Math.max(...moved)).toBeGreaterThan(2);
  });

  it('supports 4–8 digit styles and refuses impossible ones', async () => {
    const four = await composeMeter({ value: 1234, digits: 4, decimals: 0, seed: 1 });
    expect(four.truth.value).toBe('1234');
    const eight = await composeMeter({ value: 12345678.9, digits: 8, decimals: 1, seed: 1 });
    expect(eight.truth.display).toBe('12345678.9');
    const right = Math.max(...eight.layout.digits.map((b) => b[0] + b[2]));
    expect(right).toBeLessThan(640);
    await expect(composeMeter({ value: 1, digits: 10, decimals: 4 })).rejects.toThrow(/unsupported/);
  });

  it('composes from BMP crops the same photo as from the same crops as PNG', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'compose-bmp-'));
    try {
      const meter = loadDigitCrops().filter((c) => c.meter === 'iskra-t3f-2025');
      const copies = await Promise.all(
        meter.map(async (crop, i) => {
          const { data, info } = await sharp(crop.file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
          const png = path.join(dir, `${crop.value}_${i}.png`);
          const bmp = path.join(dir, `${crop.value}_${i}.bmp`);
          await sharp(data, { raw: info }).png().toFile(png);
          await writeFile(bmp, encodeBmp(info.width, info.height, data));
          return { png: { ...crop, file: png }, bmp: { ...crop, file: bmp } };
        }),
      );
      const options = { value: '01234.567', seed: 5, meter: 'iskra-t3f-2025' };
      const fromPng = await composeMeter({ ...options, digitCrops: copies.map((c) => c.png) });
      const fromBmp = await composeMeter({ ...options, digitCrops: copies.map((c) => c.bmp) });
      expect(fromBmp.truth.display).toBe('01234.567');
      expect(Buffer.compare(fromBmp.jpeg, fromPng.jpeg)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('turns and tilts the meter face, draws white-on-black drums, and its layout holds the turned window quad', async () => {
    const mount = { rotationDeg: 35, shift: [0, 0] as [number, number], tilt: [0.08, 0.04] as [number, number] };
    const m = await composeMeter({ value: '00530.12', digits: 5, decimals: 2, seed: 7, effects: 0, whiteOnBlack: true, mount });
    const quad = CounterLayoutSchema.parse(m.layout).windowQuad!;
    const angle = (Math.atan2(quad[1][1] - quad[0][1], quad[1][0] - quad[0][0]) * 180) / Math.PI;
    expect(angle).toBeGreaterThan(30);
    expect(angle).toBeLessThan(40);
    // perspective: the far (right) end of the window looks taller than the near one
    expect(Math.hypot(quad[2][0] - quad[1][0], quad[2][1] - quad[1][1])).toBeGreaterThan(1.05 * Math.hypot(quad[3][0] - quad[0][0], quad[3][1] - quad[0][1]));
    expect(m.truth.wheels.every((w) => !w.red)).toBe(true);
    // every drum, the decimals too, is dark with light digits: no red
    for (const [x, y, w, h] of m.truth.digits.slice(5)) {
      const { channels } = await sharp(m.jpeg).extract({ left: x + Math.round(w / 3), top: y + Math.round(h / 3), width: Math.round(w / 3), height: Math.round(h / 3) }).stats();
      expect(Math.abs(channels[0]!.mean - channels[1]!.mean)).toBeLessThan(12);
    }
  });
});
