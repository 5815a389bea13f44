import { describe, expect, it } from 'vitest';
import { augmentInto, jpegCopies } from '../src/augment.js';
import { DIGIT_INPUT, POINTER_INPUT } from '../src/input.js';
import { createRng } from '../src/random.js';

const { width: W, height: H } = POINTER_INPUT;

/** A white dial with a dark pointer from the centre towards `value` (0 up, clockwise, 36° a step). */
function dial(value: number): Uint8Array {
  const out = new Uint8Array(W * H * 3).fill(255);
  const a = (value * Math.PI) / 5;
  const [cx, cy] = [(W - 1) / 2, (H - 1) / 2];
  for (let r = 0; r <= 12; r += 0.25) {
    const x = Math.round(cx + r * Math.sin(a));
    const y = Math.round(cy - r * Math.cos(a));
    out.fill(0, (y * W + x) * 3, (y * W + x) * 3 + 3);
  }
  return out;
}

/** The value a dial image shows: direction of the dark pixels' centroid from the centre. */
function readDial(img: ArrayLike<number>): number {
  const [cx, cy] = [(W - 1) / 2, (H - 1) / 2];
  let [sx, sy] = [0, 0];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const darkness = 255 - img[(y * W + x) * 3]!;
      sx += darkness * (x - cx);
      sy += darkness * (y - cy);
    }
  const angle = Math.atan2(sx, -sy);
  return ((((angle * 5) / Math.PI) % 10) + 10) % 10;
}

const circular = (a: number, b: number) => Math.min(Math.abs(a - b) % 10, 10 - (Math.abs(a - b) % 10));

/** An rng that makes augmentInto apply only a rotation of `steps` (of at most `max`). */
function rotationOnly(steps: number, max: number): () => number {
  const neutralScale = (1 - 0.9) / 0.22;
  const seq = [
    neutralScale,
    neutralScale,
    0.5,
    0.5,
    0,
    (steps + max) / (2 * max),
    0.99,
    0.99,
    0.5,
    0.5,
    0.5,
    0.99,
    0.5,
    0.4 / 0.7,
    0.5,
    0.99,
  ];
  let i = 0;
  return () => seq[i++] ?? 0.99;
}

describe('pointer rotation augmentation', () => {
  it('turns the pointer clockwise by the returned number of steps (so the label turns alike)', () => {
    for (const [value, steps] of [
      [0, 1.5],
      [2.5, -1],
      [9.5, 1.2],
      [7, 0.5],
    ] as const) {
      expect(circular(readDial(dial(value)), value)).toBeLessThan(0.25);
      const out = new Float32Array(W * H * 3);
      const turned = augmentInto(dial(value), 0, out, rotationOnly(steps, 1.5), {
        input: POINTER_INPUT,
        window: false,
        maxRotationSteps: 1.5,
      });
      expect(turned).toBeCloseTo(steps, 6);
      // Same reading as a pointer drawn at value + steps (a wrong direction would be 2·steps off).
      expect(
        circular(readDial(out), readDial(dial(value + steps))),
        `value ${value} turned ${steps}`,
      ).toBeLessThan(0.15);
    }
  });

  it('digits are never rotated', () => {
    const out = new Float32Array(W * H * 3);
    expect(augmentInto(dial(3), 0, out, rotationOnly(1, 1.5), { input: POINTER_INPUT })).toBe(0);
  });
});

describe('digit augmentation', () => {
  /** A white 20x32 crop with a dark vertical bar in the middle (a "1"). */
  const bar = () => {
    const img = new Uint8Array(DIGIT_INPUT.width * DIGIT_INPUT.height * 3).fill(230);
    for (let y = 6; y < 26; y++)
      for (let x = 9; x < 11; x++)
        img.fill(20, (y * DIGIT_INPUT.width + x) * 3, (y * DIGIT_INPUT.width + x) * 3 + 3);
    return img;
  };

  it('tilts, blurs and adds glare without changing the label, and stays in 0-255', () => {
    const rng = createRng(9);
    const out = new Float32Array(DIGIT_INPUT.width * DIGIT_INPUT.height * 3);
    let spreads = 0;
    for (let k = 0; k < 300; k++) {
      expect(augmentInto(bar(), 0, out, rng, { window: true, maxTiltDegrees: 4 })).toBe(0);
      for (const v of out) expect(v >= 0 && v <= 255).toBe(true);
      // The bar survives (somewhere within the ±2 px shift): it differs from the side columns in nearly every sample.
      const col = (x: number) => {
        let s = 0;
        for (let y = 8; y < 24; y++) s += out[(y * DIGIT_INPUT.width + x) * 3]!;
        return s / 16;
      };
      const side = (col(1) + col(18)) / 2;
      if (Math.max(...[6, 7, 8, 9, 10, 11, 12, 13].map((x) => Math.abs(col(x) - side))) > 20) spreads++;
    }
    expect(spreads).toBeGreaterThan(290);
  });

  it('JPEG copies are close to the crop but not equal to it', async () => {
    const crops = new Uint8Array(4 * 1920);
    for (let i = 0; i < 4; i++) crops.set(bar(), i * 1920);
    const jpeg = await jpegCopies(crops, DIGIT_INPUT, createRng(1));
    expect(jpeg).toHaveLength(crops.length);
    let diff = 0;
    for (let i = 0; i < crops.length; i++) diff += Math.abs(jpeg[i]! - crops[i]!);
    const mean = diff / crops.length;
    expect(mean).toBeGreaterThan(0.5);
    expect(mean).toBeLessThan(25);
  });
});
