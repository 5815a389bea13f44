import { describe, expect, it } from 'vitest';
import { assembleValue, withPointers } from './assemble.js';
import { judge } from './status.js';

const drums = (...values: number[]) => values.map((value) => ({ value, confidence: 0.9 }));

describe('assembleValue', () => {
  it('joins settled drums with the decimal point', () => {
    const out = assembleValue(drums(0, 1, 2, 3, 4.1, 5.0, 6.2, 7.3), { digits: 8, decimals: 3 });
    expect(out.text).toBe('01234.567');
    expect(out.numeric).toBeCloseTo(1234.567);
  });

  it('reads 1299.9 → 1300.0 mid-roll as neither 1200 nor 1399', () => {
    // Every drum is turning: the hundreds drum at 2.9 and the tens at 9.9 have not arrived yet.
    expect(assembleValue(drums(1, 2.9, 9.9, 9.9, 9.6), { digits: 5, decimals: 1 }).text).toBe('1299.9');
    // The last drum wrapped to 0.1: everything to its left has arrived at its next digit.
    expect(assembleValue(drums(1, 2.95, 9.95, 9.95, 0.1), { digits: 5, decimals: 1 }).text).toBe('1300.0');
    // A drum resting on its digit keeps it whatever its right neighbour shows.
    expect(assembleValue(drums(1, 9, 9, 9, 9.5), { digits: 5, decimals: 1 }).text).toBe('1999.9');
  });

  it('rounds drums at rest: a 4.9 whose right neighbour is mid-range is a 5', () => {
    expect(assembleValue(drums(0, 1, 2, 3, 4, 4.9, 6.1, 7), { digits: 8, decimals: 3 }).text).toBe(
      '01234.567',
    );
    expect(assembleValue(drums(0, 0.9, 2, 2.9, 4, 5, 6, 6.9), { digits: 8, decimals: 3 }).text).toBe(
      '01234.567',
    );
    // The last drum rounding past 9 carries into a neighbour that is turning.
    expect(assembleValue(drums(1, 2, 3, 4.6, 9.9), { digits: 5, decimals: 0 }).text).toBe('12350');
    expect(assembleValue(drums(1, 2, 3, 4.6, 9.6), { digits: 5, decimals: 0 }).text).toBe('12349');
  });

  it('does not treat a drum resting on 9 as carrying: the drum left of it rests too', () => {
    // 77779.0049 as the recognizer often sees it, each drum a tenth early: the tens drum is a 7.
    expect(assembleValue(drums(6.9, 6.9, 6.9, 6.9, 9, 0, 0, 4.9), { digits: 8, decimals: 3 }).text).toBe(
      '77779.005',
    );
    expect(assembleValue(drums(0, 4, 0, 0, 1.9, 0.9, 8, 0.6), { digits: 8, decimals: 3 }).text).toBe(
      '04002.180',
    );
    // The last drum at 8.3 has not started the carry: a 2 read as 1.9 next to it is still a 2.
    expect(assembleValue(drums(3, 2.9, 0, 0, 0, 1, 1.9, 8.3), { digits: 8, decimals: 3 }).text).toBe(
      '33000.128',
    );
    // While the 9 itself is turning towards 0, the drum left of it is turning too.
    expect(assembleValue(drums(6.9, 2.9, 9, 9, 9, 3, 7.8, 9.8), { digits: 8, decimals: 3 }).text).toBe(
      '73999.379',
    );
  });

  it('reads a carrying drum seen a tenth late (0.0 next to 9.9) as the 9 it still is, never as -1', () => {
    // 3006.0076: the second decimal drum, at rest on 0, read as 9.9. It cannot be carrying (the last
    // drum is at 7.6), so it is a 0, and the drum left of it is not moved by it.
    expect(assembleValue(drums(0, 3, 0, 0, 6, 0, 9.9, 7.6), { digits: 8, decimals: 3 }).text).toBe('03006.007');
    // 0999.98 with the tens drum read 0.0 instead of 9.8: it is a 9 that has turned 0.8, and so is the
    // hundreds drum to its left, not a 0 at rest.
    expect(assembleValue(drums(0.8, 9.8, 0, 9.8, 9.8), { digits: 5, decimals: 1 }).text).toBe('0999.9');
  });

  it('takes the weakest drum as the confidence and refuses a drum count that does not match', () => {
    const out = assembleValue(
      [
        { value: 1, confidence: 0.99 },
        { value: 2, confidence: 0.4 },
      ],
      { digits: 2, decimals: 0 },
    );
    expect(out.confidence).toBe(0.4);
    expect(judge(out).status).toBe('needs_review');
    expect(() => assembleValue(drums(1, 2, 3), { digits: 4, decimals: 0 })).toThrow(/expected 4 drums/);
  });
});

describe('assembleValue with pointer dials', () => {
  // Four drums and two decimals on drums, then two pointers (×0.001, ×0.0001).
  const shape = withPointers({ digits: 4, decimals: 2 }, 2);

  it('extends the value below the last drum', () => {
    expect(shape).toEqual({ digits: 6, decimals: 4, pointers: 2 });
    const out = assembleValue(drums(1, 2, 3.1, 4.1, 5.7, 7.1), shape);
    expect(out.text).toBe('12.3457');
    expect(out.digits).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it('takes each pointer digit from where the pointer below it stands', () => {
    // The first pointer at 4.95 with the second at 9.5: it has not reached 5 yet.
    expect(assembleValue(drums(1, 2, 3, 4, 4.95, 9.5), shape).text).toBe('12.3449');
    // At 4.95 with the second just past 0: it has arrived at 5.
    expect(assembleValue(drums(1, 2, 3, 4, 4.95, 0.2), shape).text).toBe('12.3450');
  });

  it('settles the last drum by the first pointer: near 0 it has rolled, near 10 it has not', () => {
    // The last drum reads 6.5, half-way: the pointer decides.
    expect(assembleValue(drums(0, 0, 1, 6.5, 9.6, 5), shape).text).toBe('00.1695');
    expect(assembleValue(drums(0, 0, 1, 6.5, 0.3, 2), shape).text).toBe('00.1702');
    // The drums above see the carry: 0.99|98 turning, 1.00|00 arrived.
    expect(assembleValue(drums(0, 0.9, 9.9, 9.97, 9.8, 8), shape).text).toBe('00.9998');
    expect(assembleValue(drums(0, 0.95, 9.98, 9.99, 0.1, 0), shape).text).toBe('01.0000');
  });

  it('reads a last drum half-way while the first dial is far from 9 as rolling with that dial', () => {
    // Real ESP32-CAM photos of a water meter (jomjol/AI-on-the-edge-device demo): 5 drums, 4 dials; the
    // units drum rolls with the x0.1 dial while the drums above jump.
    const water = withPointers({ digits: 5, decimals: 0 }, 4);
    expect(assembleValue(drums(0.1, 0.1, 5, 3, 1.5, 6.4, 3.1, 1, 7.3), water).text).toBe('00531.6307');
    expect(assembleValue(drums(0, 0, 5, 3, 0.5, 7, 0.3, 4.1, 0.9), water).text).toBe('00530.7041');
    // On its digit it reads as before; half-way where rolling does not put it, the jump reading stands.
    expect(assembleValue(drums(0, 0, 5, 3, 1, 6.4, 3.1, 1, 7.3), water).text).toBe('00531.6307');
    expect(assembleValue(drums(0, 0, 1, 6.5, 0.3, 2), shape).text).toBe('00.1702');
  });
});
