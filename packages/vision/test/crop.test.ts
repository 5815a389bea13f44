import { describe, expect, it } from 'vitest';
import type { Quad } from '@metertwin/contracts';
import { composeMeter } from '@metertwin/composer';
import { cropDigits, DIGIT_CROP_SIZE, POINTER_CROP_SIZE, locateWithLayout, scaleLayout } from '../src/index.js';
import { cellGreyOf, correlation, greyOf } from './helpers.js';

const { width: W, height: H } = DIGIT_CROP_SIZE;

async function scores(meter: Awaited<ReturnType<typeof composeMeter>>, jpeg = meter.jpeg, layout = meter.layout) {
  const crops = await cropDigits(jpeg, layout);
  const digits = crops.filter((c) => c.kind === 'digit');
  const own: number[] = [];
  const other: number[] = [];
  for (const [i, crop] of digits.entries()) {
    const got = await greyOf({ data: Buffer.from(crop.image.data, 'base64'), width: W, height: H }, W, H);
    own.push(correlation(got, await cellGreyOf(meter, i, W, H)));
    // the crop placed on the neighbouring drum: a different digit, must correlate less
    const j = (i + 1) % digits.length;
    other.push(correlation(got, await cellGreyOf(meter, j, W, H)));
  }
  return { crops, own, other };
}

describe('cropDigits', () => {
  it('cuts the real crops placed by the composer (no camera effects)', async () => {
    const meter = await composeMeter({ value: 13579.246, digits: 5, decimals: 3, seed: 5, effects: 0 });
    const { crops, own, other } = await scores(meter);
    expect(crops.filter((c) => c.kind === 'digit')).toHaveLength(8);
    for (const c of crops) {
      expect(c.image).toMatchObject({ width: 20, height: 32, channels: 3 });
      expect(Buffer.from(c.image.data, 'base64')).toHaveLength(20 * 32 * 3);
    }
    for (const r of own) expect(r).toBeGreaterThan(0.9);
    expect(Math.max(...other)).toBeLessThan(0.85);
  });

  it('still lands on the digits with the default (mild) camera effects, for every look', async () => {
    for (const [seed, look, meterId] of [
      [11, 'day', 'iotson-emeter1'],
      [12, 'infrared', 'jomjol-20220606'],
      [13, 'day', 'iskra-t3f-2025'],
    ] as const) {
      const meter = await composeMeter({ value: 24680.135, seed, look, meter: meterId });
      const { own } = await scores(meter);
      const mean = own.reduce((a, b) => a + b, 0) / own.length;
      expect(mean, `${look} ${meterId}`).toBeGreaterThan(0.75);
      expect(Math.min(...own), `${look} ${meterId}`).toBeGreaterThan(0.5);
      // control: the same layout moved by half a drum no longer finds the digits
      const halfDrum = (meter.layout.windowQuad![1][0] - meter.layout.windowQuad![0][0]) / meter.layout.digits.length / 2;
      const off = { ...meter.layout, windowQuad: meter.layout.windowQuad!.map(([x, y]) => [x + halfDrum, y]) as Quad };
      const missed = (await scores(meter, meter.jpeg, off)).own;
      expect(missed.reduce((a, b) => a + b, 0) / missed.length).toBeLessThan(0.4);
    }
  });

  it('scales the layout to the frame size and cuts pointers at 32×32', async () => {
    const meter = await composeMeter({ value: 4321.0987, digits: 4, decimals: 0, pointers: 4, seed: 2, effects: 0 });
    const sharp = (await import('sharp')).default;
    const big = await sharp(meter.jpeg).resize(1280, 960).jpeg().toBuffer();
    const crops = await cropDigits(big, meter.layout);
    const pointers = crops.filter((c) => c.kind === 'pointer');
    expect(pointers).toHaveLength(4);
    expect(pointers[0]!.image).toMatchObject({ ...POINTER_CROP_SIZE, channels: 3 });
    const scaled = scaleLayout(meter.layout, { width: 1280, height: 960 });
    // registered, not merely scaled: within a pixel of the scaled box
    crops[0]!.box.forEach((v, i) => expect(Math.abs(v - scaled.digits[0]![i]!)).toBeLessThanOrEqual(1));
    const { own } = await scores(meter, big, meter.layout);
    for (const r of own) expect(r).toBeGreaterThan(0.85);
  });

  it('locateWithLayout reports the window and a quality that drops with blur', async () => {
    const meter = await composeMeter({ value: 1, seed: 9, effects: 0 });
    const sharp = (await import('sharp')).default;
    const sharpFrame = await locateWithLayout(meter.jpeg, meter.layout);
    const blurred = await locateWithLayout(await sharp(meter.jpeg).blur(4).jpeg().toBuffer(), meter.layout);
    sharpFrame.window.forEach((v, i) => expect(Math.abs(v - meter.layout.window![i]!)).toBeLessThanOrEqual(1));
    expect(blurred.quality.sharpness).toBeLessThan(sharpFrame.quality.sharpness);
  });

  it('cuts the same crops from the same frame every time', async () => {
    const meter = await composeMeter({ value: 777.777, seed: 4 });
    const first = await cropDigits(meter.jpeg, meter.layout);
    const again = await cropDigits(meter.jpeg, meter.layout);
    expect(again).toEqual(first);
    expect(first).toHaveLength(8);
  });
});
