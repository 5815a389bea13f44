import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { composeMeter } from '@metertwin/composer';
import { decodeFrame, locateFrame } from '../src/index.js';
import { greyStats } from '../src/quality.js';

/** Windows of composed frames (every look, with and without camera effects) plus edge cases, as grey. */
async function greyImages(): Promise<{ name: string; data: Buffer; width: number; height: number }[]> {
  const out: { name: string; data: Buffer; width: number; height: number }[] = [];
  for (const [seed, look, effects] of [
    [41, 'day', 0],
    [42, 'day', 1],
    [43, 'infrared', 0.5],
    [44, 'infrared', 1],
  ] as const) {
    const photo = await composeMeter({ value: 24680.135, seed, look, effects });
    const frame = await decodeFrame(photo.jpeg);
    const [left, top, width, height] = (await locateFrame(frame, photo.layout)).window;
    const raw = { raw: { width: frame.width, height: frame.height, channels: 3 as const } };
    out.push({ name: `${look} ${effects} window`, data: await sharp(frame.data, raw).extract({ left, top, width, height }).greyscale().raw().toBuffer(), width, height });
    out.push({ name: `${look} ${effects} frame`, data: await sharp(frame.data, raw).greyscale().raw().toBuffer(), width: frame.width, height: frame.height });
  }
  out.push({ name: 'flat', data: Buffer.alloc(40 * 30, 77), width: 40, height: 30 });
  out.push({ name: 'one row', data: Buffer.from(Array.from({ length: 50 }, (_, i) => (i * 37) % 256)), width: 50, height: 1 });
  out.push({ name: 'noise', data: Buffer.from(Array.from({ length: 300 * 200 }, (_, i) => (i * 7919) % 256)), width: 300, height: 200 });
  return out;
}

describe('greyStats', () => {
  it("gives sharp's stats(): mean and deviation exactly, sharpness to 1e-12 (same after quality's 3 decimals)", async () => {
    for (const { name, data, width, height } of await greyImages()) {
      const { channels, sharpness } = await sharp(data, { raw: { width, height, channels: 1 } }).stats();
      const mine = greyStats({ data, width, height });
      expect(mine.mean, name).toBe(channels[0]!.mean);
      expect(mine.stdev, name).toBe(channels[0]!.stdev);
      expect(Math.abs(mine.sharpness - sharpness), name).toBeLessThanOrEqual(1e-12 * Math.max(1, sharpness));
      expect(Math.round(mine.sharpness * 1000), name).toBe(Math.round(sharpness * 1000));
    }
  }, 60_000);

  it('measures edges: none in a flat image, more in noise than in a meter window (control against a constant)', async () => {
    const images = Object.fromEntries((await greyImages()).map((g) => [g.name, greyStats(g)]));
    expect(images['flat']!.sharpness).toBe(0);
    expect(images['noise']!.sharpness).toBeGreaterThan(4 * images['day 0 window']!.sharpness);
    expect(images['day 0 window']!.sharpness).toBeGreaterThan(1);
  }, 60_000);
});
