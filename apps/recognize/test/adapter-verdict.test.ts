import { describe, expect, it } from 'vitest';
import type { AdapterReport, HeldBackScore } from '@metertwin/recognizer';
import { adapterVerdict } from '../src/adapter-verdict.js';

const score = (right: number, wrongConfident: number, truthMass: number, n = 12): HeldBackScore => ({ n, right, wrongConfident, truthMass, answers: [] });
const report = (base: HeldBackScore, adapted: HeldBackScore): AdapterReport => ({
  kind: 'digits', baseVersion: 'b', version: 'a', createdAt: '', labels: { train: 48, heldBack: base.n }, steps: 8,
  heldBack: { base, adapted },
  better: adapted.right >= base.right && adapted.wrongConfident <= base.wrongConfident && adapted.truthMass > base.truthMass,
});

describe('adapterVerdict', () => {
  it('promotes an adapter that is better on the held-back labels', () => {
    expect(adapterVerdict(report(score(10, 1, 0.8), score(12, 0, 0.95)))).toEqual({ promote: true });
  });

  it('rejects one that is worse, or wrong with confidence more often, saying so with the figures', () => {
    expect(adapterVerdict(report(score(12, 0, 0.99), score(11, 0, 0.99)))).toMatchObject({ promote: false, reason: expect.stringMatching(/not better.*right 11 vs base 12/) });
    expect(adapterVerdict(report(score(10, 0, 0.8), score(11, 1, 0.9)))).toMatchObject({ promote: false, reason: expect.stringMatching(/more wrong with confidence/) });
  });

  it('rejects any adapter trained on labels that contradict the confident base model on most held-back crops', () => {
    // All labels typed one drum off: the adapter learns the error and "improves" on the equally wrong held-back labels.
    expect(adapterVerdict(report(score(0, 12, 0), score(12, 0, 0.9)))).toMatchObject({ promote: false, reason: expect.stringMatching(/contradict/) });
  });
});
