import { describe, expect, it } from 'vitest';
import { provenDrums } from './proven.js';

describe('provenDrums', () => {
  it('proves the shared drums from the left, all but the rightmost shared one', () => {
    expect(provenDrums('01234.567', '01234.789')).toEqual([0, 1, 2, 3]);
    expect(provenDrums('01234.432', '01234.432')).toEqual([0, 1, 2, 3, 4, 4, 3]);
    expect(provenDrums('01234.567', '01234.567')).toEqual([0, 1, 2, 3]);
  });

  it('stops before a drum whose right neighbour may be half-way to its next digit', () => {
    // Drum 3 stands at 3 with drum 4 at 7: on a continuous drive drum 3 shows 3.7, nearly 4.
    expect(provenDrums('01237.100', '01237.400')).toEqual([0, 1, 2]);
  });

  it('proves less across a rollover and nothing when the later value is lower', () => {
    expect(provenDrums('01239.900', '01240.100')).toEqual([0, 1]);
    expect(provenDrums('01240.100', '01239.900')).toEqual([]);
    expect(provenDrums('99999.999', '00000.001')).toEqual([]);
    expect(provenDrums('01234.567', '1234.567')).toEqual([]);
  });
});
