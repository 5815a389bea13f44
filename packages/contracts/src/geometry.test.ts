import { describe, expect, it } from 'vitest';
import { CounterLayoutSchema, QuadMeterSchema, type Quad } from './geometry.js';

const reference = { width: 640, height: 480 };
// a window turned 35°: its corners in reading order, clockwise on the photo
const turned: Quad = [
  [287, 78],
  [494, 214],
  [462, 262],
  [255, 122],
];
const layout = (windowQuad: Quad, extra: object = {}) => ({ v: 1, reference, digits: Array.from({ length: 5 }, () => [0, 0, 1, 1]), windowQuad, ...extra });
const messages = (value: unknown) => CounterLayoutSchema.safeParse(value).error?.issues.map((i) => i.message) ?? [];

describe('CounterLayout with a window quad', () => {
  it('accepts a turned window and upright boxes alike', () => {
    expect(messages(layout(turned))).toEqual([]);
    expect(messages({ v: 1, reference, digits: [[10, 10, 20, 30]] })).toEqual([]);
  });

  it('refuses a crossed, counter-clockwise, outside or degenerate quad with a reason', () => {
    expect(messages(layout([turned[0], turned[2], turned[1], turned[3]]))).toEqual([expect.stringMatching(/crosses itself/)]);
    expect(messages(layout([turned[0], turned[3], turned[2], turned[1]]))).toEqual([expect.stringMatching(/counter-clockwise/)]);
    expect(messages(layout([[600, 10], [700, 10], [700, 60], [600, 60]]))).toEqual([expect.stringMatching(/outside the 640×480 photo/)]);
    expect(messages(layout([[10, 10], [300, 10], [300, 14], [10, 14]]))).toEqual([expect.stringMatching(/degenerate/)]);
    expect(messages(layout([[10, 10], [25, 10], [25, 40], [10, 40]]))).toEqual([expect.stringMatching(/too small for 5 drums/)]);
    expect(messages(layout([[10, 10], [30, 10], [30, 10], [10, 40]]))).toEqual([expect.stringMatching(/crosses itself or is not convex/)]);
  });

  it('refuses dials off the photo or without a quad', () => {
    const dial = (d: number[]) => layout(turned, { dials: [d], pointers: [[0, 0, 1, 1]] });
    expect(messages(dial([320, 300, 30]))).toEqual([]);
    expect(messages(dial([620, 300, 30]))).toEqual([expect.stringMatching(/dial \[620, 300, 30\] does not lie inside/)]);
    expect(messages({ ...dial([320, 300, 30]), windowQuad: undefined })).toEqual([expect.stringMatching(/dials need a windowQuad/)]);
  });
});

describe('QuadMeter (the command line meter file)', () => {
  it('takes 1–12 drums and no more decimals than drums', () => {
    expect(QuadMeterSchema.parse({ windowQuad: turned, drums: 5 })).toEqual({ windowQuad: turned, drums: 5, decimals: 0, dials: [] });
    for (const drums of [0, 20, 2.5]) expect(QuadMeterSchema.safeParse({ windowQuad: turned, drums }).success).toBe(false);
    expect(QuadMeterSchema.safeParse({ windowQuad: turned, drums: 3, decimals: 4 }).error?.issues[0]?.message).toMatch(/decimals exceed/);
    expect(QuadMeterSchema.safeParse({ windowQuad: turned.slice(0, 3), drums: 3 }).success).toBe(false);
  });
});
