import { describe, expect, it } from 'vitest';
import { createRng, inputValues, POINTER_INPUT, readNeedle } from '@metertwin/recognizer';
import { type DialStyle, randomDialStyle, renderDial, syntheticDials } from '../src/synthetic-dials.js';
import { expectSeededTenths } from './synthetic-set.js';
import { fontFiles, loadGlyphs } from '../src/synthetic.js';

const BYTES = inputValues(POINTER_INPUT);
const { width: W, height: H } = POINTER_INPUT;

/** Circular distance between two dial positions (0–10). */
const circular = (a: number, b: number) => {
  const d = Math.abs(a - b) % 10;
  return Math.min(d, 10 - d);
};

/**
 * The dial position the red pixels point at, seen from the crop centre (a clean render is centred):
 * the mean direction of the red pixels on the face away from the hub.
 */
function redDirection(rgb: Uint8Array): number {
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      const dx = x + 0.5 - W / 2;
      const dy = y + 0.5 - H / 2;
      const r = Math.hypot(dx, dy);
      // Inside the face (a clean render's face radius is 0.48 of the crop; its rim may be any colour).
      if (rgb[i]! - Math.max(rgb[i + 1]!, rgb[i + 2]!) > 30 && r > 4 && r < 14) {
        sx += dx;
        sy += dy;
      }
    }
  }
  return ((Math.atan2(sx, -sy) / (2 * Math.PI)) * 10 + 10) % 10;
}

describe('synthetic dials', () => {
  it('draw the pointer in the direction of the label (0 at the top, clockwise)', async () => {
    const glyphs = await loadGlyphs((await fontFiles()).drums[0]!);
    for (const shape of ['needle', 'arrow', 'spade'] as const) {
      const style: DialStyle = { face: 'white', pointer: 'red', shape, tail: false, cap: false, scale: 'ticks', effects: false };
      for (let t = 0; t < 100; t += 7) {
        const value = t / 10;
        const crop = await renderDial(value, style, glyphs, createRng(t), POINTER_INPUT);
        expect(circular(redDirection(crop), value), `${shape} at ${value}`).toBeLessThan(0.2);
      }
    }
  });

  it('are deterministic for a seed, and a red pointer in them reads as its label', async () => {
    const a = await expectSeededTenths((seed) => syntheticDials({ count: 200, seed, cache: false }), 200, BYTES);
    // The recognizer's own geometry reader (no learned weights) reads the red pointers it finds, with
    // all the effects on: a pointer drawn at the wrong angle or turned the other way reads far off.
    let read = 0;
    let right = 0;
    for (let i = 0; i < 200; i++) {
      const needle = readNeedle(a.pixels.subarray(i * BYTES, (i + 1) * BYTES), W, H);
      if (!needle) continue;
      read++;
      if (circular(needle.value, a.values[i]!) <= 0.3) right++;
    }
    expect(read).toBeGreaterThan(40);
    expect(right / read).toBeGreaterThan(0.8);
  });

  it('draw every face, pointer colour and shape, and never a pointer the colour of its face', () => {
    const rng = createRng(3);
    const styles = Array.from({ length: 2000 }, () => randomDialStyle(rng));
    for (const key of ['face', 'pointer', 'shape', 'scale', 'tail', 'cap'] as const)
      expect(new Set(styles.map((s) => s[key])).size, key).toBeGreaterThanOrEqual(key === 'tail' || key === 'cap' ? 2 : 3);
    expect(new Set(styles.map((s) => s.face)).size).toBe(4);
    expect(new Set(styles.map((s) => s.pointer)).size).toBe(4);
    expect(styles.some((s) => s.face === 'black' && s.pointer === 'black')).toBe(false);
    expect(styles.some((s) => (s.face === 'white' || s.face === 'cream') && s.pointer === 'white')).toBe(false);
  });
});
