import { describe, expect, it } from 'vitest';
import type { Quad } from '@metertwin/contracts';
import { composeMeter } from '@metertwin/composer';
import { applyH, buildAlignment, decodeFrame, drumQuad, iou, locateWithLayout, POINTER_CROP_SIZE, processFrame, quadLayout, readingAngle, unitSquareToQuad } from '../src/index.js';
import { cellGreyOf, correlation, greyOf } from './helpers.js';

const W = 20;
const H = 32;
const reference = { width: 640, height: 480 };
const grey = (image: { data: string; width: number; height: number }) =>
  greyOf({ data: Buffer.from(image.data, 'base64'), width: image.width, height: image.height }, image.width, image.height);

describe('a counter given as a quadrilateral', () => {
  it('maps the unit square onto the quad and splits it into drums along the reading direction', () => {
    const quad: Quad = [[100, 50], [300, 90], [290, 150], [95, 120]];
    const h = unitSquareToQuad(quad);
    [[0, 0], [1, 0], [1, 1], [0, 1]].forEach(([u, v], i) => {
      const [x, y] = applyH(h, u!, v!);
      expect(x).toBeCloseTo(quad[i]![0], 6);
      expect(y).toBeCloseTo(quad[i]![1], 6);
    });
    const cells = [0, 1, 2, 3].map((i) => drumQuad(quad, i, 4));
    expect(cells[0]![0]).toEqual(quad[0]);
    expect(cells[3]![2][0]).toBeCloseTo(quad[2][0], 6);
    cells.slice(1).forEach((c, i) => expect(c[0]).toEqual(cells[i]![1]));
    expect((readingAngle(quad) * 180) / Math.PI).toBeCloseTo(10.0, 0);
  });

  it('builds a layout from the quad and refuses a bad one with the reason', () => {
    const layout = quadLayout({ windowQuad: [[287, 78], [494, 214], [462, 262], [255, 122]], drums: 5, dials: [[320, 330, 30]] }, reference);
    expect(layout.digits).toHaveLength(5);
    expect(layout.pointers).toHaveLength(1);
    expect(() => quadLayout({ windowQuad: [[287, 78], [462, 262], [494, 214], [255, 122]], drums: 5 }, reference)).toThrow(/crosses itself/);
    expect(() => quadLayout({ windowQuad: [[287, 78], [494, 214], [462, 262], [255, 122]], drums: 5, dials: [[630, 330, 30]] }, reference)).toThrow(/does not lie inside/);
  });

  it('cuts upright drums from a counter turned 35°, tilted, white on black', async () => {
    const mount = { rotationDeg: 35, shift: [0, 0] as [number, number], tilt: [0.08, 0.04] as [number, number] };
    const meter = await composeMeter({ value: '00530.12', digits: 5, decimals: 2, seed: 7, effects: 0, whiteOnBlack: true, mount });
    const { crops, registration, counter, quality } = await processFrame(meter.jpeg, meter.layout);
    expect(registration.status).toBe('aligned');
    expect(quality.reasons).toEqual([]);
    expect(counter?.quad).toHaveLength(4);
    expect(counter?.drums).toHaveLength(7);
    const level = await composeMeter({ value: '00530.12', digits: 5, decimals: 2, seed: 7, effects: 0, whiteOnBlack: true, mount: { rotationDeg: 0, shift: [0, 0] } });
    const cells = await Promise.all(crops.map((_, i) => cellGreyOf(level, i, W, H)));
    const digit = (i: number) => Math.floor(level.truth.wheels[i]!.label);
    for (const [i, crop] of crops.entries()) {
      const got = await grey(crop.image);
      // the cell as the level meter shows it, closer than any cell showing another digit
      const own = correlation(got, cells[i]!);
      expect(own, `drum ${i}`).toBeGreaterThan(0.8);
      for (const [j, cell] of cells.entries()) if (digit(j) !== digit(i)) expect(correlation(got, cell), `drum ${i} vs ${j}`).toBeLessThan(own - 0.05);
    }
  });

  it('cuts dials as squares turned into the counter (a dial\'s 0 is the counter\'s up)', async () => {
    const style = { value: '1234.5678', digits: 4, decimals: 0, pointers: 4, seed: 3, effects: 0 };
    const level = await processFrame((await composeMeter({ ...style, mount: { rotationDeg: 0, shift: [0, 0] } })).jpeg, (await composeMeter({ ...style, mount: { rotationDeg: 0, shift: [0, 0] } })).layout);
    const turned = await composeMeter({ ...style, mount: { rotationDeg: -60, shift: [0, 0] } });
    const { crops, counter } = await processFrame(turned.jpeg, turned.layout);
    expect(counter?.dials).toHaveLength(4);
    const dials = crops.filter((c) => c.kind === 'pointer');
    const levelDials = level.crops.filter((c) => c.kind === 'pointer');
    for (const [i, dial] of dials.entries()) {
      expect(dial.image).toMatchObject({ ...POINTER_CROP_SIZE });
      expect(correlation(await grey(dial.image), await grey(levelDials[i]!.image)), `dial ${i}`).toBeGreaterThan(0.85);
    }
  });

  it('registers later frames to a reference turned anywhere from 0° to 180°', async () => {
    for (const rotationDeg of [0, 35, 90, 135, 180]) {
      const mount = { rotationDeg, shift: [6, -4] as [number, number] };
      for (const seed of [31, 32]) {
        const frame = await composeMeter({ value: 31415.926, digits: 5, decimals: 3, seed, effects: 0.5, jitter: 1, mount });
        const located = await locateWithLayout(frame.jpeg, frame.layout);
        expect(located.registration, `${rotationDeg}° seed ${seed}`).toMatchObject({ status: 'aligned' });
        located.digits.forEach((b, i) => expect(iou(b, frame.truth.digits[i]!), `${rotationDeg}° drum ${i}`).toBeGreaterThan(0.6));
      }
    }
  });

  it('picks alignment marks around a turned window by itself, and registers shaken frames to them', async () => {
    for (const rotationDeg of [35, 90, 180, -100]) {
      const mount = { rotationDeg, shift: [0, 0] as [number, number] };
      const photo = await composeMeter({ value: 31415.926, digits: 5, decimals: 3, seed: 40, effects: 0, mount });
      // the composer's own marks dropped: buildAlignment picks them
      const marked = { ...photo.layout, alignment: undefined };
      const layout = { ...marked, alignment: await buildAlignment(await decodeFrame(photo.jpeg), marked) };
      expect(layout.alignment.marks.length, `${rotationDeg}°`).toBeGreaterThanOrEqual(4);
      const frame = await composeMeter({ value: 31415.926, digits: 5, decimals: 3, seed: 40, effects: 0.5, jitter: 1, mount: { rotationDeg: rotationDeg + 3, shift: [4, 3] } });
      const located = await locateWithLayout(frame.jpeg, layout);
      expect(located.registration, `${rotationDeg}°`).toMatchObject({ status: 'aligned' });
      located.digits.forEach((b, i) => expect(iou(b, frame.truth.digits[i]!), `${rotationDeg}° drum ${i}`).toBeGreaterThan(0.6));
    }
  });
});
