import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { COMPOSE_STYLES, composeMeter, detectCounter, iou } from '../src/index.js';

describe('detectCounter (composed meters only)', () => {
  it('finds the window and every digit on most composed meters (seeds not used for tuning)', async () => {
    let right = 0;
    const total = 14;
    for (let seed = 41; seed < 41 + total; seed++) {
      const [digits, decimals, pointers] = COMPOSE_STYLES[seed % COMPOSE_STYLES.length]!;
      const look = seed % 3 === 0 ? 'infrared' : 'day';
      // strong effects and per-frame shake (rotation, zoom, perspective)
      const m = await composeMeter({ value: 10 ** digits * 0.37 + seed * 1.234, digits, decimals, pointers, seed, look, effects: 0.8, jitter: 1 });
      const det = await detectCounter(m.jpeg);
      if (!det) continue;
      expect(det.confidence).toBeGreaterThan(0);
      if (det.digits.length === m.truth.digits.length && m.truth.digits.every((t, i) => iou(det.digits[i]!, t) >= 0.7)) right++;
    }
    expect(right / total).toBeGreaterThanOrEqual(0.85);
  });

  it('finds nothing in an image without a counter', async () => {
    const plain = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#bbb' } })
      .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><circle cx="320" cy="240" r="120" fill="#333"/></svg>') }])
      .jpeg()
      .toBuffer();
    expect(await detectCounter(plain)).toBeUndefined();
    for (const background of ['#000', '#fff']) {
      const flat = await sharp({ create: { width: 640, height: 480, channels: 3, background } }).jpeg().toBuffer();
      expect(await detectCounter(flat)).toBeUndefined();
    }
  });
});
