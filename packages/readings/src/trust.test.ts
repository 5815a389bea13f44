import { describe, expect, it } from 'vitest';
import type { ReadingEvaluation } from './evaluate.js';
import { decideTrust, withTrust } from './trust.js';

describe('decideTrust', () => {
  it('keeps a meter learning until enough held-back labels from enough readings are read right', () => {
    expect(decideTrust({ n: 12, right: 12, wrongConfident: 0 }, 2)).toMatchObject({ trust: 'learning', reason: expect.stringMatching(/2 reviewed/) });
    expect(decideTrust({ n: 4, right: 4, wrongConfident: 0 }, 5)).toMatchObject({ trust: 'learning', reason: expect.stringMatching(/4 held-back/) });
    expect(decideTrust({ n: 12, right: 11, wrongConfident: 0 }, 3)).toMatchObject({ trust: 'trusted', figures: { n: 12, right: 11, readings: 3 } });
  });

  it('never trusts a model that is wrong with confidence, nor one that misses more than once', () => {
    expect(decideTrust({ n: 30, right: 29, wrongConfident: 1 }, 6).trust).toBe('learning');
    expect(decideTrust({ n: 30, right: 28, wrongConfident: 0 }, 6).trust).toBe('learning');
  });

  it('cannot be flipped to trusted by one wrong label: a typo only counts against the model', () => {
    // 9 true labels read right are not enough; a 10th label, typed wrong, is a miss, not a hit.
    expect(decideTrust({ n: 9, right: 9, wrongConfident: 0 }, 3).trust).toBe('learning');
    expect(decideTrust({ n: 10, right: 9, wrongConfident: 1 }, 3).trust).toBe('learning');
  });
});

describe('withTrust', () => {
  const verdict: ReadingEvaluation = {
    status: 'accepted', value: '00012', numeric: 12, confidence: 0.99, reason: null,
    corrections: [], reanchored: false, consumption: 1, flowPerHour: 0.1,
  };
  it("sends a learning meter's accepted and corrected readings to review, saying why", () => {
    expect(withTrust(verdict, 'learning')).toMatchObject({ status: 'needs_review', reason: expect.stringMatching(/learning/) });
    expect(withTrust({ ...verdict, status: 'corrected', reason: 'drum 3' }, 'learning').reason).toMatch(/learning.*; drum 3/);
    expect(withTrust({ ...verdict, status: 'rejected' }, 'learning').status).toBe('rejected');
    expect(withTrust(verdict, 'trusted')).toBe(verdict);
  });
});
