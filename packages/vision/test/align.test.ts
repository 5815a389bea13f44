import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CounterLayoutSchema } from '@metertwin/contracts';
import { composeMeter } from '@metertwin/composer';
import { cropDigits, DIGIT_CROP_SIZE, ImageRejectedError, iou, locateWithLayout, processFrame } from '../src/index.js';
import { cellGreyOf, correlation, greyOf } from './helpers.js';

const { width: W, height: H } = DIGIT_CROP_SIZE;
const allOverlap = (found: number[][], truth: number[][]) => found.every((b, i) => iou(b as never, truth[i] as never) >= 0.7);

describe('registration to the reference', () => {
  it('follows per-frame shift, rotation, zoom and perspective (unknown to the layout)', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const m = await composeMeter({ value: 31415.926, digits: 5, decimals: 3, seed, effects: 0.8, jitter: 1, look: seed % 2 ? 'day' : 'infrared' });
      expect(CounterLayoutSchema.parse(m.layout).alignment?.marks.length).toBeGreaterThanOrEqual(4);
      const located = await locateWithLayout(m.jpeg, m.layout);
      expect(located.registration).toMatchObject({ status: 'aligned' });
      expect(allOverlap(located.digits, m.truth.digits)).toBe(true);
    }
  });

  it('aligns a rotated, shifted and tilted camera to the reference and cuts upright drums', async () => {
    const reference = await composeMeter({ value: 2468.1357, digits: 4, decimals: 4, seed: 21, effects: 0, mount: { rotationDeg: 0, shift: [0, 0] } });
    const moved = await composeMeter({
      value: 2468.1357, digits: 4, decimals: 4, seed: 21, effects: 0.5,
      mount: { rotationDeg: 6, shift: [18, -14], scale: 1.06, tilt: [0.05, -0.03] },
    });
    const { registration, digits, crops } = await processFrame(moved.jpeg, reference.layout);
    expect(registration.status).toBe('aligned');
    if (registration.status !== 'aligned') return;
    expect(registration.motion.rotationDeg).toBeCloseTo(6, 0);
    expect(allOverlap(digits, moved.truth.digits)).toBe(true);
    // the crops show the placed real crops upright
    for (const crop of crops.filter((c) => c.kind === 'digit')) {
      const got = await greyOf({ data: Buffer.from(crop.image.data, 'base64'), width: W, height: H }, W, H);
      // the cells as the level reference has them (same seed: same crops)
      expect(correlation(got, await cellGreyOf(reference, crop.index, W, H))).toBeGreaterThan(0.8);
    }
  });

  it('aligns a camera turned by 15° and 24° against the reference (rotation guessed first)', async () => {
    const reference = await composeMeter({ value: 50505.5, digits: 5, decimals: 1, seed: 23, effects: 0, mount: { rotationDeg: 0, shift: [0, 0] } });
    // up to ~20° the marks are found directly; 24° needs the rotated first guess
    for (const rotationDeg of [-15, 24]) {
      const turned = await composeMeter({ value: 50505.5, digits: 5, decimals: 1, seed: 23, effects: 0.4, mount: { rotationDeg, shift: [10, 6] } });
      const located = await locateWithLayout(turned.jpeg, reference.layout);
      expect(located.registration).toMatchObject({ status: 'aligned' });
      if (located.registration.status === 'aligned') expect(located.registration.motion.rotationDeg).toBeCloseTo(rotationDeg, 0);
      expect(allOverlap(located.digits, turned.truth.digits)).toBe(true);
    }
  });

  it('aligns a night (infrared) frame to a day reference', async () => {
    const day = await composeMeter({ value: 777.25, digits: 5, decimals: 2, seed: 8, effects: 0, mount: { rotationDeg: 0, shift: [0, 0] } });
    const night = await composeMeter({ value: 777.25, digits: 5, decimals: 2, seed: 8, look: 'infrared', effects: 0.9, mount: { rotationDeg: -2, shift: [-9, 6] } });
    const located = await locateWithLayout(night.jpeg, day.layout);
    expect(located.registration.status).toBe('aligned');
    expect(allOverlap(located.digits, night.truth.digits)).toBe(true);
  });

  it('flags a frame that cannot be aligned instead of cropping blindly', async () => {
    const m = await composeMeter({ value: 1234.5, digits: 5, decimals: 1, seed: 3 });
    // something in front of the counter and its print
    const [wx, wy, ww, wh] = m.layout.window!;
    const cover = await sharp({ create: { width: ww + 160, height: wh + 120, channels: 3, background: '#3a3a3a' } }).png().toBuffer();
    const blocked = await sharp(m.jpeg).composite([{ input: cover, left: wx - 80, top: wy - 60 }]).jpeg().toBuffer();
    const located = await locateWithLayout(blocked, m.layout);
    expect(located.registration).toMatchObject({ status: 'not-aligned' });
    expect(located.quality.reasons).toContain('not-aligned');
    const err = await cropDigits(blocked, m.layout).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageRejectedError);
    expect((err as ImageRejectedError).reason).toBe('not-aligned');
    expect((err as Error).message).toMatch(/cannot be aligned.*(marks|motion)/);
    // another meter entirely (the camera was turned away)
    const other = await sharp(m.jpeg).rotate(90).resize(640, 480, { fit: 'fill' }).jpeg().toBuffer();
    expect((await locateWithLayout(other, m.layout)).registration.status).toBe('not-aligned');
  });
});
