import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { contourBoxes } from '../src/contour-boxes.js';
import { matOf, opencv, withMats } from '../src/opencv.js';

/** A white 160×40 bar turned by `deg` (clockwise, image axes) on black, as a binary 400×300 image. */
async function bar(deg: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300"/><rect x="120" y="130" width="160" height="40" fill="#fff" transform="rotate(${deg} 200 150)"/></svg>`;
  return sharp(Buffer.from(svg)).greyscale().threshold(128).raw().toBuffer();
}

describe('contourBoxes', () => {
  it('measures a bar at any angle along its long side, its direction within −90..90°', async () => {
    const { cv } = await opencv();
    for (const deg of [0, 20, 60, 89, 90, 110, 160, -30, -75]) {
      const data = await bar(deg);
      const boxes = withMats((keep) => contourBoxes(cv, keep(matOf(cv, data, 400, 300, 1)), keep));
      expect(boxes, `${deg}°`).toHaveLength(1);
      const [box] = boxes;
      const expected = deg > 90 ? deg - 180 : deg;
      expect(box!.angle, `${deg}°`).toBeGreaterThan(-90);
      expect(box!.angle, `${deg}°`).toBeLessThanOrEqual(90);
      // 90° and −90° are the same direction
      expect(Math.abs(box!.angle - expected) % 180, `${deg}°`).toBeLessThan(1.5);
      expect(box!.long, `${deg}°`).toBeCloseTo(160, -1);
      expect(box!.short, `${deg}°`).toBeCloseTo(40, -1);
      expect(box!.cx).toBeCloseTo(200, -1);
      expect(box!.cy).toBeCloseTo(150, -1);
      expect(box!.area / (box!.long * box!.short), `${deg}°`).toBeGreaterThan(0.9);
    }
  });
});
