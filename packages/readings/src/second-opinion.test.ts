import { describe, expect, it } from 'vitest';
import { assembleValue, type CounterShape } from './assemble.js';
import { intervalEnergy } from './energy.js';
import { evaluateReading, type EvaluateReadingInput } from './evaluate.js';
import { ReadingRulesSchema } from './rules.js';
import { weighSecondOpinion } from './second-opinion.js';

const shape: CounterShape = { digits: 5, decimals: 1 };
const T0 = new Date('2026-03-01T00:00:00Z');
const T1 = new Date('2026-03-01T01:00:00Z');

function input(positions: number[], confidence: number[] | number, previous = 1234.5): EvaluateReadingInput {
  const drums = positions.map((value, i) => ({
    value,
    confidence: Array.isArray(confidence) ? confidence[i]! : confidence,
  }));
  return {
    drums,
    assembled: assembleValue(drums, shape),
    shape,
    history: { previous: { numeric: previous, takenAt: T0 }, rejected: [] },
    takenAt: T1,
    rules: ReadingRulesSchema.parse({ maxFlowPerHour: 5 }),
    unit: 'm3',
  };
}

const ocr = (digits: string, confidence = 0.95) =>
  [...digits].map((c) => ({ digit: c === '?' ? null : Number(c), confidence }));

function weigh(i: EvaluateReadingInput, digits: string, confidence?: number) {
  return weighSecondOpinion(i, evaluateReading(i), ocr(digits, confidence));
}

describe('weighSecondOpinion', () => {
  // 1235.1, but the tens drum is unsure.
  const unsure = input([1, 2, 3, 5, 1], [0.99, 0.99, 0.99, 0.3, 0.99]);

  it('settles an unsure reading when the OCR reads exactly the same digits and the history agrees', () => {
    expect(evaluateReading(unsure).status).toBe('needs_review');
    const opinion = weigh(unsure, '12351');
    expect(opinion).toMatchObject({ effect: 'settled', agrees: true });
    expect(opinion.evaluation).toMatchObject({ status: 'accepted', value: '1235.1' });
    expect(opinion.evaluation.consumption).toBeCloseTo(0.6);
    expect(opinion.evaluation.reason).toMatch(/confirmed by the cloud OCR \(12351\)/);
  });

  it('leaves it in review when the OCR differs, is unsure or read nothing on a drum', () => {
    for (const [digits, confidence] of [
      ['12361', 0.95],
      ['12351', 0.5],
      ['123?1', 0.95],
    ] as const) {
      const opinion = weigh(unsure, digits, confidence);
      expect(opinion.effect).toBe('none');
      expect(opinion.evaluation.status).toBe('needs_review');
    }
  });

  it('never settles a value the history rejects, even when both readers agree on it', () => {
    // Both read 1100.0 on a meter that was at 1234.5: a step back is not made true by agreement.
    const low = input([1, 1, 0, 0, 0], [0.99, 0.3, 0.99, 0.99, 0.99]);
    const opinion = weigh(low, '11000');
    expect(opinion.effect).toBe('none');
    expect(opinion.evaluation.status).toBe('rejected');
    // An unsure frame taken before the last accepted one cannot be judged by the history: it stays in review.
    const late = { ...unsure, takenAt: new Date('2026-02-28T23:00:00Z') };
    const lateOpinion = weigh(late, '12351');
    expect(lateOpinion.effect).toBe('none');
    expect(lateOpinion.evaluation.status).toBe('needs_review');
  });

  it('sends an accepted reading to review when a confident OCR reads another digit on a resting drum', () => {
    const sure = input([1, 2, 3, 5, 1], 0.99);
    const opinion = weigh(sure, '12391');
    expect(opinion).toMatchObject({ effect: 'conflict', agrees: false });
    expect(opinion.evaluation.status).toBe('needs_review');
    expect(opinion.evaluation.reason).toMatch(/cloud OCR reads 12391 where the drums give 12351/);
  });

  it('accepts either digit on a drum caught mid-roll, and does not touch rejected readings', () => {
    // The tens drum is half-way from 4 to 5 while the last one wraps: 1234.9 or 1235.0 may show.
    const rolling = input([1, 2, 3, 4.5, 9.8], 0.99);
    expect(evaluateReading(rolling).value).toBe('1234.9');
    expect(weigh(rolling, '12359')).toMatchObject({ effect: 'none', agrees: true });

    const rejected = input([1, 1, 0, 0, 0], 0.99);
    expect(evaluateReading(rejected).status).toBe('rejected');
    const opinion = weigh(rejected, '12345');
    expect(opinion.effect).toBe('none');
    expect(opinion.evaluation.status).toBe('rejected');
  });
});

describe('intervalEnergy', () => {
  it('converts the interval consumption with the meter conversion, and reports a broken one', () => {
    expect(intervalEnergy(2, { kind: 'factor', kWhPerUnit: 10 })).toEqual({ energy: 20, error: null });
    expect(intervalEnergy(null, { kind: 'factor', kWhPerUnit: 10 })).toEqual({ energy: null, error: null });
    expect(intervalEnergy(2, null)).toEqual({ energy: null, error: null });
    const thermal = intervalEnergy(1, { kind: 'thermal', flowTempC: 70, returnTempC: 50 });
    expect(thermal.energy).toBeCloseTo(23.26);
    expect(intervalEnergy(1, { kind: 'factor', kWhPerUnit: -1 }).error).toMatch(/invalid Meter.conversion/);
  });
});
