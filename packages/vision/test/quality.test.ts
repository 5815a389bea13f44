import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { composeMeter } from '@metertwin/composer';
import { DIGIT_CROP_SIZE, ImageRejectedError, iou, locateWithLayout, processFrame } from '../src/index.js';
import { cellGreyOf, correlation, greyOf } from './helpers.js';

describe('frame quality', () => {
  it('finds nothing wrong with composed day and night frames under all camera effects', async () => {
    for (let seed = 30; seed < 36; seed++) {
      const m = await composeMeter({ value: 4711.08, digits: 5, decimals: 2, seed, effects: 1, jitter: 1, look: seed % 2 ? 'infrared' : 'day' });
      const { quality } = await locateWithLayout(m.jpeg, m.layout);
      expect(quality).toMatchObject({ reasons: [], score: 1, unreadable: false });
    }
  });

  it('reads night (infrared) frames: aligned, crops matching the placed digits', async () => {
    const { width: W, height: H } = DIGIT_CROP_SIZE;
    let sum = 0;
    let n = 0;
    for (const seed of [41, 42, 43]) {
      const m = await composeMeter({ value: 90210.5, digits: 5, decimals: 1, seed, look: 'infrared', effects: 0.8, jitter: 1 });
      const { registration, digits, crops } = await processFrame(m.jpeg, m.layout);
      expect(registration.status).toBe('aligned');
      digits.forEach((box, i) => expect(iou(box, m.truth.digits[i]!)).toBeGreaterThanOrEqual(0.7));
      for (const c of crops) {
        const got = await greyOf({ data: Buffer.from(c.image.data, 'base64'), width: W, height: H }, W, H);
        sum += correlation(got, await cellGreyOf(m, c.index, W, H));
        n++;
      }
    }
    expect(sum / n).toBeGreaterThan(0.75);
  });

  it('names what is wrong: too dark, blurred, glare over a digit, a covered digit', async () => {
    const m = await composeMeter({ value: 1234.567, seed: 5, effects: 0.5 });
    const judge = async (jpeg: Buffer) => (await locateWithLayout(jpeg, m.layout)).quality;
    const dark = await judge(await sharp(m.jpeg).modulate({ brightness: 0.12 }).jpeg().toBuffer());
    expect(dark.reasons).toContain('too-dark');
    expect(dark.score).toBeLessThan(0.5);
    const blurred = await judge(await sharp(m.jpeg).blur(5).jpeg().toBuffer());
    expect(blurred.reasons).toEqual(['blurred']);

    const [x, y, w, h] = m.layout.digits[2]!;
    const spot = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><ellipse cx="${x + w / 2}" cy="${y + h / 2}" rx="${w * 0.8}" ry="${h * 0.45}" fill="#fff" opacity="0.97"/></svg>`,
    );
    const glare = await judge(await sharp(m.jpeg).composite([{ input: spot }]).jpeg().toBuffer());
    expect(glare.reasons).toEqual(['glare']);
    expect(glare.glare.indexOf(Math.max(...glare.glare))).toBe(2);

    const finger = await sharp({ create: { width: w + 4, height: h + 4, channels: 3, background: '#c9a27e' } }).png().toBuffer();
    const covered = await judge(await sharp(m.jpeg).composite([{ input: finger, left: x - 2, top: y - 2 }]).jpeg().toBuffer());
    expect(covered.reasons).toEqual(['occluded']);
    expect(covered.occluded).toEqual([2]);
  });

  it('refuses a black or blank frame as unreadable instead of cropping it', async () => {
    const m = await composeMeter({ value: 1, seed: 6 });
    for (const background of ['#000', '#fff', '#808080']) {
      const flat = await sharp({ create: { width: 640, height: 480, channels: 3, background } }).jpeg().toBuffer();
      const err = await processFrame(flat, m.layout).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageRejectedError);
      expect((err as ImageRejectedError).reason).toBe('low-quality');
      expect((err as Error).message).toMatch(/frame quality too low: (too-dark|too-bright|low-contrast)/);
    }
  });
});
