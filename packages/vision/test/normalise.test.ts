import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { composeMeter } from '@metertwin/composer';
import { loadDigitCrops, loadPointerCrops } from '@metertwin/sample-data';
import { DIGIT_CROP_SIZE, POINTER_CROP_SIZE, decodeFrame, processFrame } from '../src/index.js';
import { normaliseRgb } from '../src/normalise.js';

// The bound: byte-identical. normaliseRgb replaces sharp's normalise() in every crop the models see,
// so any pixel it changed would change their input.
const raw = (width: number, height: number) => ({ raw: { width, height, channels: 3 as const } });

/** Indices of the bytes where two equally long buffers differ. */
function differing(a: Uint8Array, b: Uint8Array): number[] {
  expect(a.length).toBe(b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

describe('normaliseRgb', () => {
  it("is sharp's normalise() byte for byte on every real digit and pointer crop of sample-data, at both crop sizes", async () => {
    const crops = [...loadDigitCrops(), ...loadPointerCrops()];
    expect(crops.length).toBeGreaterThan(800);
    let stretched = 0;
    for (const { file } of crops) {
      for (const { width, height } of [DIGIT_CROP_SIZE, POINTER_CROP_SIZE]) {
        const small = await sharp(file).removeAlpha().toColourspace('srgb').resize(width, height, { fit: 'fill' }).raw().toBuffer();
        const bySharp = await sharp(small, raw(width, height)).normalise().raw().toBuffer();
        expect(differing(normaliseRgb(small), bySharp), `${file} at ${width}×${height}`).toEqual([]);
        if (differing(small, bySharp).length > 0) stretched++;
      }
    }
    // control: the stretch did change most crops (an identity would pass the comparison on none of them)
    expect(stretched).toBeGreaterThan(crops.length);
  }, 120_000);

  it('leaves a flat or nearly flat crop as it is, like sharp (percentiles at most 1 apart)', async () => {
    for (const grey of [[0], [128], [255], [100, 101]]) {
      const small = Buffer.alloc(20 * 32 * 3);
      for (let i = 0; i < small.length; i += 3) small.fill(grey[(i / 3) % grey.length]!, i, i + 3);
      const bySharp = await sharp(small, raw(20, 32)).normalise().raw().toBuffer();
      expect(differing(normaliseRgb(small), bySharp)).toEqual([]);
      expect(differing(normaliseRgb(small), small)).toEqual([]);
    }
  });

  it("gives processFrame's crops of composed photos exactly as the former sharp pipeline (normalise, then resize) cut them", async () => {
    let compared = 0;
    for (const [seed, look, meter] of [
      [21, 'day', 'iotson-emeter1'],
      [22, 'infrared', 'jomjol-20220606'],
      [23, 'day', 'iskra-t3f-2025'],
    ] as const) {
      const photo = await composeMeter({ value: 35791.468, digits: 5, decimals: 3, pointers: 2, seed, look, meter });
      const frame = await decodeFrame(photo.jpeg);
      const stretched = await processFrame(frame, photo.layout);
      const plain = await processFrame(frame, photo.layout, { normalise: false });
      expect(stretched.crops).toHaveLength(plain.crops.length);
      for (const [i, crop] of stretched.crops.entries()) {
        const { width, height } = crop.image;
        const resized = Buffer.from(plain.crops[i]!.image.data, 'base64');
        // sharp's pipeline resizes before it normalises whatever the call order: the former toCrop
        // (`.normalise().resize()` on the patch) equals a normalise of the resized crop
        const bySharp = await sharp(resized, raw(width, height)).normalise().raw().toBuffer();
        expect(differing(Buffer.from(crop.image.data, 'base64'), bySharp), `${meter} crop ${i}`).toEqual([]);
        compared++;
      }
    }
    expect(compared).toBe(3 * (8 + 2));
  }, 60_000);

  it("sharp resizes before it normalises: the former toCrop's order on frame-sized patches equals normaliseRgb of the resized patch", async () => {
    const photo = await composeMeter({ value: 80246.913, digits: 5, decimals: 3, seed: 24, look: 'day', meter: 'iskra-t3f-2025' });
    const frame = await decodeFrame(photo.jpeg);
    let compared = 0;
    // patches of the frame of drum-like sizes at many places: larger and smaller than the crop
    for (let k = 0; k < 40; k++) {
      const width = 14 + ((k * 7) % 40);
      const height = 24 + ((k * 11) % 50);
      const left = (k * 37) % (frame.width - width);
      const top = (k * 53) % (frame.height - height);
      const patch = await sharp(frame.data, raw(frame.width, frame.height)).extract({ left, top, width, height }).raw().toBuffer();
      const former = await sharp(patch, raw(width, height)).normalise().resize(20, 32, { fit: 'fill' }).raw().toBuffer();
      const resized = await sharp(patch, raw(width, height)).resize(20, 32, { fit: 'fill' }).raw().toBuffer();
      expect(differing(normaliseRgb(resized), former), `patch ${k}`).toEqual([]);
      compared++;
    }
    expect(compared).toBe(40);
  }, 60_000);
});
