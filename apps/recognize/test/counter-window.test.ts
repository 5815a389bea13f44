import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { composeMeter } from '@metertwin/composer';
import { processFrame } from '@metertwin/vision';
import { cutWindow } from '../src/counter-window.js';

describe('the counter window sent to a cloud OCR', () => {
  it('is the rectified strip of a counter turned 35° (COMPOSED), its drums side by side', async () => {
    const mount = { rotationDeg: 35, shift: [0, 0] as [number, number], tilt: [0.08, 0.04] as [number, number] };
    const meter = await composeMeter({ value: '00530.12', digits: 5, decimals: 2, seed: 7, whiteOnBlack: true, mount, effects: 0.3 });
    const { digits, counter } = await processFrame(meter.jpeg, meter.layout);
    const crops = JSON.parse(JSON.stringify({ digits, counter })) as unknown;
    const window = await cutWindow(meter.jpeg, { crops, layout: meter.layout, digitBoxes: digits });
    const { width, height } = await sharp(window.png).metadata();
    // level: far wider than tall (the turned window's upright bounds are 230×180)
    expect(width! / height!).toBeGreaterThan(3);
    expect(window.digitBoxes).toHaveLength(7);
    window.digitBoxes.forEach((box, i) => {
      expect(box[1]).toBe(window.digitBoxes[0]![1]);
      if (i > 0) expect(box[0]).toBeGreaterThan(window.digitBoxes[i - 1]![0]);
      expect(box[0] + box[2]).toBeLessThanOrEqual(width!);
    });
  });
});
