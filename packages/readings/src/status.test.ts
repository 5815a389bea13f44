import { REVIEW_THRESHOLD } from '@metertwin/recognizer';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_CONFIDENCE } from './status.js';

describe('DEFAULT_MIN_CONFIDENCE', () => {
  // The recognizer cannot import this package (it is this package's dev dependency), so its reports
  // carry their own copy of the threshold: the two must move together.
  it('is the threshold the recognizer scores junk and kept crops at', () => {
    expect(REVIEW_THRESHOLD).toBe(DEFAULT_MIN_CONFIDENCE);
  });
});
