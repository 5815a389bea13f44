import { describe, expect, it } from 'vitest';
import { DIGIT_INPUT, POINTER_INPUT } from '@metertwin/recognizer';
import { TEST_LETTERS, testJunk, TRAIN_LETTERS, trainingJunk } from '../src/junk.js';

describe('generated junk crops', () => {
  it('test set: blank, black, noise and letters never used in training, deterministic', async () => {
    const [a, b] = await Promise.all([testJunk(DIGIT_INPUT), testJunk(DIGIT_INPUT)]);
    expect(a).toHaveLength(50 + 50 + 50 + TEST_LETTERS.length * 6);
    expect(a.map((j) => Buffer.from(j.rgb).toString('base64'))).toEqual(b.map((j) => Buffer.from(j.rgb).toString('base64')));
    for (const ch of TEST_LETTERS) expect(TRAIN_LETTERS).not.toContain(ch);
    for (const j of a) expect(j.rgb).toHaveLength(20 * 32 * 3);
    // A rendered letter has ink: dark and light pixels both.
    const letter = a.find((j) => j.kind === 'letter')!.rgb;
    expect(Math.min(...letter)).toBeLessThan(60);
    expect(Math.max(...letter)).toBeGreaterThan(200);
    // Black crops are dark, blank crops light.
    expect(Math.max(...a.find((j) => j.kind === 'black')!.rgb)).toBeLessThan(40);
    expect(Math.min(...a.find((j) => j.kind === 'blank')!.rgb)).toBeGreaterThan(160);
  });

  it('training set renders at the pointer size too', async () => {
    const junk = await trainingJunk(POINTER_INPUT);
    expect(junk.length).toBeGreaterThan(150);
    for (const j of junk) expect(j.rgb).toHaveLength(32 * 32 * 3);
  });
});
