import { describe, expect, it } from 'vitest';
import { meterThreshold, type HeldBackAnswer } from './threshold.js';

const right = (confidence: number): HeldBackAnswer => ({ confidence, right: true });
const wrong = (confidence: number): HeldBackAnswer => ({ confidence, right: false });
/** `n` held-back labels read right and sure. */
const sure = (n: number) => Array.from({ length: n }, () => right(0.999));
const band = [0.88, 0.86, 0.84, 0.82, 0.8].map(right);

describe('meterThreshold', () => {
  it('lowers the threshold to the second-lowest right label of a well-covered band below the service threshold', () => {
    const decision = meterThreshold([...sure(30), ...band], 6, 0.9);
    expect(decision).toMatchObject({ minConfidence: 0.82, figures: { n: 35, readings: 6, band: 5, highestWrong: null } });
    expect(decision.reason).toMatch(/lowered to 0.82/);
  });

  it('keeps the service threshold with too few labels or readings, however right they are', () => {
    expect(meterThreshold([...sure(20), ...band], 6, 0.9)).toMatchObject({ minConfidence: null, reason: expect.stringMatching(/25 held-back/) });
    expect(meterThreshold([...sure(30), ...band], 4, 0.9)).toMatchObject({ minConfidence: null, reason: expect.stringMatching(/4 reviewed/) });
    // All sure: nothing shows how the model does below the service threshold on this meter.
    expect(meterThreshold(sure(60), 12, 0.9)).toMatchObject({ minConfidence: null, figures: { band: 0 } });
  });

  it('stops lowering at the first wrong answer below the service threshold', () => {
    const answers = [...sure(30), right(0.89), right(0.87), wrong(0.86), ...band.slice(2)];
    expect(meterThreshold(answers, 6, 0.9)).toMatchObject({ minConfidence: null, figures: { band: 2, highestWrong: 0.86 } });
  });

  it('lets no typo lower it into accepting a wrong digit', () => {
    // A label typed wrong where the model was right at 0.87 counts as a wrong answer there: no lowering.
    const typo = [...sure(30), right(0.89), wrong(0.87), ...band.slice(2)];
    expect(meterThreshold(typo, 6, 0.9).minConfidence).toBeNull();
    // A typo agreeing with a wrong answer at 0.75 is one of the band's labels, never the one it rests on:
    // the threshold stays above that crop's confidence.
    const agreeing = [...sure(30), ...band.slice(0, 4), right(0.75)];
    expect(meterThreshold(agreeing, 6, 0.9).minConfidence).toBe(0.82);
    // And it never goes below the floor.
    expect(meterThreshold([...sure(30), ...[0.6, 0.58, 0.56, 0.55, 0.5].map(right)], 6, 0.9).minConfidence).toBe(0.7);
  });

  it('raises the threshold above a confident wrong answer, whatever the number of labels', () => {
    expect(meterThreshold([...sure(5), wrong(0.934)], 1, 0.9)).toMatchObject({ minConfidence: 0.935, figures: { highestWrong: 0.934 } });
    expect(meterThreshold([...sure(30), wrong(0.9999)], 6, 0.9).minConfidence).toBe(1);
  });

  it('stays above a wrong answer tied with the band', () => {
    const answers = [...sure(30), ...[0.89, 0.88, 0.87, 0.86, 0.85].map(right), wrong(0.85)];
    const decision = meterThreshold(answers, 6, 0.9);
    expect(decision.minConfidence).toBeGreaterThan(0.85);
  });
});
