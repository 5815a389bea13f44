import { describe, expect, it } from 'vitest';
import { applyTemperature, fitTemperature, reliability } from '../src/calibration.js';
import { decodeProbabilities } from '../src/decode.js';
import { NUM_CLASSES } from '../src/model.js';
import { createRng } from '../src/random.js';

const softmax = (logits: number[]) => {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('temperature scaling', () => {
  it('equals softmax(logits / T) when applied to softmax outputs', () => {
    const logits = Array.from({ length: NUM_CLASSES }, (_, i) => Math.sin(i) * 4);
    const probs = Float32Array.from(softmax(logits));
    applyTemperature(probs, 2.5);
    const expected = softmax(logits.map((l) => l / 2.5));
    probs.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 5));
  });

  it('fits T > 1 for an overconfident model and T < 1 for an underconfident one', () => {
    // 60% of predictions are right; the model puts (over- or under-) confident peaks on its guess.
    const make = (peak: number) => {
      const rng = createRng(3);
      const n = 400;
      const probs = new Float32Array(n * NUM_CLASSES);
      const truth: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = Math.floor(rng() * NUM_CLASSES);
        const guess = rng() < 0.6 ? t : (t + 30 + Math.floor(rng() * 40)) % NUM_CLASSES;
        const logits = Array.from({ length: NUM_CLASSES }, (_, c) => (c === guess ? peak : 0));
        probs.set(softmax(logits), i * NUM_CLASSES);
        truth.push(t);
      }
      return { probs, truth };
    };
    const over = make(12);
    const under = make(3.5);
    const fitOver = fitTemperature(over.probs, over.truth);
    const fitUnder = fitTemperature(under.probs, under.truth);
    expect(fitOver.temperature).toBeGreaterThan(1.5);
    expect(fitUnder.temperature).toBeLessThan(1);
    // After scaling, the mean confidence is close to the 60% hit rate.
    applyTemperature(over.probs, fitOver.temperature);
    const meanConfidence = over.truth.reduce((s, _, i) => s + decodeProbabilities(over.probs, i * NUM_CLASSES).confidence, 0) / over.truth.length;
    expect(meanConfidence).toBeGreaterThan(0.5);
    expect(meanConfidence).toBeLessThan(0.7);
  });
});

describe('reliability', () => {
  it('bins confidences and computes the expected calibration error', () => {
    // 10 at 0.95 with 5 hits (gap 0.45), 10 at 0.25 with 2 hits (gap 0.05): ECE = (0.45 + 0.05) / 2.
    const conf = [...new Array<number>(10).fill(0.95), ...new Array<number>(10).fill(0.25)];
    const hits = [...Array.from({ length: 10 }, (_, i) => i < 5), ...Array.from({ length: 10 }, (_, i) => i < 2)];
    const r = reliability(conf, hits);
    expect(r.ece).toBeCloseTo(0.25, 4);
    expect(r.bins[9]).toMatchObject({ n: 10, meanConfidence: 0.95, accuracy: 0.5 });
    expect(r.bins[2]).toMatchObject({ n: 10, meanConfidence: 0.25, accuracy: 0.2 });
    expect(r.bins.reduce((s, b) => s + b.n, 0)).toBe(20);
  });
});
