import { describe, expect, it } from 'vitest';
import { assembleValue, type CounterShape } from './assemble.js';
import type { TimedValue } from './consumption.js';
import { evaluateReading, type ReadingHistory } from './evaluate.js';
import { ReadingRulesSchema } from './rules.js';
import { DEFAULT_MIN_CONFIDENCE } from './status.js';

const FIVE_ONE: CounterShape = { digits: 5, decimals: 1 };
const at = (hour: number) => new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000);
const since = (numeric: number, hour = 0, rejected: TimedValue[] = []): ReadingHistory => ({
  previous: { numeric, takenAt: at(hour) },
  rejected,
});

/**
 * Evaluates drum positions read at `hour`, every drum at `confidence` unless given as [value, confidence],
 * on a counter whose drums jump (the drives are tested in drive.test.ts; these tests are about history).
 */
function read(
  positions: (number | [number, number])[],
  history: ReadingHistory,
  { hour = 1, rules = {}, shape = FIVE_ONE }: { hour?: number; rules?: object; shape?: CounterShape } = {},
) {
  const drums = positions.map((p) =>
    Array.isArray(p) ? { value: p[0], confidence: p[1] } : { value: p, confidence: 0.95 },
  );
  const parsed = ReadingRulesSchema.parse({ drive: 'jump', ...rules });
  return evaluateReading({
    drums,
    assembled: assembleValue(drums, shape, parsed.drive),
    shape,
    history,
    takenAt: at(hour),
    rules: parsed,
    unit: 'm3',
  });
}

describe('ReadingRulesSchema', () => {
  it('fills the defaults for an empty Meter.readingRules and refuses re-anchoring on a single reading', () => {
    expect(ReadingRulesSchema.parse({})).toEqual({
      allowNegative: false,
      reanchorAfter: 3,
      minConfidence: DEFAULT_MIN_CONFIDENCE,
      drive: 'auto',
    });
    expect(() => ReadingRulesSchema.parse({ reanchorAfter: 1 })).toThrow();
    expect(() => ReadingRulesSchema.parse({ maxFlowPerHour: -1 })).toThrow();
  });
});

describe('evaluateReading', () => {
  it('accepts a confident first reading and sends an unsure one to review', () => {
    const first = read([0, 1, 2, 3, 4], { previous: null, rejected: [] });
    expect(first).toMatchObject({ status: 'accepted', value: '0123.4', numeric: 123.4, consumption: null });
    expect(first.reason).toMatch(/first reading/);
    expect(read([0, 1, [2, 0.3], 3, 4], { previous: null, rejected: [] }).status).toBe('needs_review');
  });

  it('accepts a plausible step with its consumption and flow', () => {
    const out = read([1, 2, 3, 6, 0], since(1234.5), { hour: 2 });
    expect(out).toMatchObject({
      status: 'accepted',
      value: '1236.0',
      reason: null,
      corrections: [],
      reanchored: false,
    });
    expect(out.consumption).toBeCloseTo(1.5);
    expect(out.flowPerHour).toBeCloseTo(0.75);
  });

  it('reads 1299.9 → 1300.0 mid-roll, and corrects the hundreds drum when it was given the lower digit', () => {
    const rolled = read([1, 2.95, 9.95, 9.95, 0.1], since(1299.9));
    expect(rolled).toMatchObject({ status: 'accepted', value: '1300.0' });
    expect(rolled.consumption).toBeCloseTo(0.1);

    // 2.4 rounds to 2, so the counter assembles as 1200.0: a 99.9 m3 drop.
    const misread = read([1, 2.4, 9.6, 9.6, 0.1], since(1299.9));
    expect(misread).toMatchObject({
      status: 'corrected',
      value: '1300.0',
      numeric: 1300,
      corrections: [{ index: 1, from: 2, to: 3 }],
    });
    expect(misread.consumption).toBeCloseTo(0.1);
    expect(misread.reason).toMatch(/as read: negative flow: 1299\.9 → 1200\.0/);
  });

  it('counts across the wrap at the counter maximum', () => {
    const wrapped = read([0, 0, 0, 0, 0, 2], since(99999.9), { shape: { digits: 6, decimals: 1 } });
    expect(wrapped).toMatchObject({ status: 'accepted', value: '00000.2' });
    expect(wrapped.consumption).toBeCloseTo(0.3);

    const litres = read([0, 0, 0, 0, 0, 0, 1, 2], since(99999.999), { shape: { digits: 8, decimals: 3 } });
    expect(litres).toMatchObject({ status: 'accepted', value: '00000.012' });
    expect(litres.consumption).toBeCloseTo(0.013, 6);
  });

  it('corrects a misread mid-roll drum and records the digit it changed', () => {
    // The units drum at 4.4 is rounded to 4: 1234.1 would be below the previous 1235.0.
    const out = read([1, 2, 3, 4.4, 1], since(1235));
    expect(out).toMatchObject({
      status: 'corrected',
      value: '1235.1',
      corrections: [{ index: 3, from: 4, to: 5 }],
    });
    expect(out.consumption).toBeCloseTo(0.1);
  });

  it('prefers the correction closest to the previous value, carrying into the next drum', () => {
    // 1234.9 is below 1235.0; the units drum up gives 1235.9, the last drum up gives 1235.0 (with carry).
    const out = read([1, 2, 3, 4.4, 9.6], since(1235), { rules: { idleJitter: 0 } });
    expect(out).toMatchObject({
      status: 'corrected',
      value: '1235.0',
      corrections: [
        { index: 3, from: 4, to: 5 },
        { index: 4, from: 9, to: 0 },
      ],
    });
    expect(out.consumption).toBe(0);
  });

  it('rejects negative flow it cannot correct, unless the meter may run backwards', () => {
    const out = read([1, 2, 3, 0, 1], since(1234.5));
    expect(out).toMatchObject({
      status: 'rejected',
      value: '1230.1',
      reason: 'negative flow: 1234.5 → 1230.1',
    });
    expect(out.consumption).toBeCloseTo(-4.4);

    const backwards = read([1, 2, 3, 0, 1], since(1234.5), { rules: { allowNegative: true } });
    expect(backwards).toMatchObject({ status: 'accepted', value: '1230.1' });
    expect(backwards.consumption).toBeCloseTo(-4.4);
  });

  it('rejects a flow above the plausible maximum', () => {
    const out = read([1, 2, 9, 1, 5], since(1234.5), { rules: { maxFlowPerHour: 5 } });
    expect(out).toMatchObject({
      status: 'rejected',
      value: '1291.5',
      reason: 'flow 57 m3/h above the plausible 5 m3/h (1234.5 → 1291.5 in 1 h)',
    });
    expect(read([1, 2, 3, 9, 5], since(1234.5), { rules: { maxFlowPerHour: 5 } }).status).toBe('accepted');
  });

  it('keeps a decrease within the idle jitter as no change, and rejects one beyond it', () => {
    const out = read([1, 2, 3, 4, 4], since(1234.5));
    expect(out).toMatchObject({ status: 'accepted', value: '1234.5', numeric: 1234.5, consumption: 0 });
    expect(out.reason).toBe('idle jitter: 1234.5 → 1234.4 is within 0.1, kept as no change');

    expect(read([1, 2, 3, 4, 3], since(1234.5)).status).toBe('rejected');
    expect(read([1, 2, 3, 4, 3], since(1234.5), { rules: { idleJitter: 0.5 } }).value).toBe('1234.5');
  });

  it('re-anchors on the third consistent reading that contradicts a wrong previous value', () => {
    // 1834.5 was a misread that got accepted; the meter really stands near 1240.
    const rejected = [
      { numeric: 1240.0, takenAt: at(1) },
      { numeric: 1240.6, takenAt: at(2) },
    ];
    expect(read([1, 2, 4, 0, 6], since(1834.5, 0, rejected.slice(0, 1)), { hour: 2 }).status).toBe(
      'rejected',
    );

    const out = read([1, 2, 4, 1, 1], since(1834.5, 0, rejected), { hour: 3 });
    expect(out).toMatchObject({
      status: 'accepted',
      value: '1241.1',
      reanchored: true,
      consumption: null,
      reason:
        're-anchored after 3 consistent readings: the previous value 1834.5 was likely wrong or the meter was replaced',
    });
  });

  it('trusts consistent readings over a correction towards the value they contradict', () => {
    // The tens drum at 3.6 is carrying (its neighbours pass 9 → 0): it could be a 4 (1249.9 would follow
    // 1249.5), but three readings agree near 1239.
    const rejected = [
      { numeric: 1239.0, takenAt: at(1) },
      { numeric: 1239.5, takenAt: at(2) },
    ];
    expect(read([1, 2, 3.6, 9.6, 9.6], since(1249.5, 0, rejected.slice(1)), { hour: 3 })).toMatchObject({
      status: 'corrected',
      value: '1249.9',
    });
    expect(read([1, 2, 3.6, 9.6, 9.6], since(1249.5, 0, rejected), { hour: 3 })).toMatchObject({
      status: 'accepted',
      value: '1239.9',
      reanchored: true,
      corrections: [],
    });
  });

  it('does not re-anchor on readings that disagree with each other', () => {
    const falling = [
      { numeric: 1240.0, takenAt: at(1) },
      { numeric: 1100.0, takenAt: at(2) },
    ];
    expect(read([1, 2, 4, 1, 1], since(1834.5, 0, falling), { hour: 3 })).toMatchObject({
      status: 'rejected',
      reanchored: false,
    });

    // Rising, but faster than the meter can run.
    const racing = [
      { numeric: 1240.0, takenAt: at(1) },
      { numeric: 1290.0, takenAt: at(2) },
    ];
    const rules = { maxFlowPerHour: 5 };
    expect(read([1, 2, 9, 1, 1], since(1834.5, 0, racing), { hour: 3, rules }).status).toBe('rejected');
    const steady = [
      { numeric: 1240.0, takenAt: at(1) },
      { numeric: 1243.0, takenAt: at(2) },
    ];
    expect(read([1, 2, 4, 5, 1], since(1834.5, 0, steady), { hour: 3, rules }).reanchored).toBe(true);
  });

  it('follows a replaced meter: rejects the reset twice, then re-anchors and counts from there', () => {
    const history: ReadingHistory = since(1234.5);
    const feed = (positions: number[], hour: number) => {
      const out = read(positions, history, { hour });
      const value = { numeric: out.numeric, takenAt: at(hour) };
      if (out.status === 'rejected') history.rejected.push(value);
      else Object.assign(history, { previous: value, rejected: [] });
      return out;
    };
    expect(feed([0, 0, 0, 0, 3], 1)).toMatchObject({
      status: 'rejected',
      reason: 'negative flow: 1234.5 → 0.3',
    });
    expect(feed([0, 0, 0, 0, 8], 2).status).toBe('rejected');
    expect(feed([0, 0, 0, 1, 4], 3)).toMatchObject({ status: 'accepted', value: '0001.4', reanchored: true });
    const next = feed([0, 0, 0, 1, 9], 4);
    expect(next).toMatchObject({ status: 'accepted', reanchored: false });
    expect(next.consumption).toBeCloseTo(0.5);
  });

  it('sends a low-confidence reading to review with its value, but rejection wins', () => {
    const unsure = read([1, 2, [3, 0.4], 5, 0], since(1234.5));
    expect(unsure).toMatchObject({ status: 'needs_review', value: '1235.0', confidence: 0.4 });
    expect(unsure.reason).toMatch(/confidence 0\.40 is below 0\.9\b/);
    expect(unsure.consumption).toBeCloseTo(0.5);

    expect(read([1, 2, [3, 0.4], 0, 1], since(1234.5)).status).toBe('rejected');
    // An unsure reading does not overturn the history either.
    const rejected = [
      { numeric: 1240.0, takenAt: at(1) },
      { numeric: 1240.6, takenAt: at(2) },
    ];
    expect(read([1, 2, [4, 0.4], 1, 1], since(1834.5, 0, rejected), { hour: 3 })).toMatchObject({
      status: 'rejected',
      reanchored: false,
    });
  });

  it('sends a reading taken before the previous one to review instead of judging it against the future', () => {
    const out = read([1, 2, 3, 0, 1], since(1234.5, 5), { hour: 4 });
    expect(out.status).toBe('needs_review');
    expect(out.reason).toMatch(/taken before the previous accepted reading/);
  });
});

describe('evaluateReading between its neighbours (processed out of order)', () => {
  const between = (next: TimedValue): ReadingHistory => ({ ...since(1234.5, 0), next });

  it('accepts a late reading that fits between the previous and the later accepted one', () => {
    const out = read([1, 2, 3, 4, 5], between({ numeric: 1234.7, takenAt: at(2) }), { hour: 1 });
    expect(out).toMatchObject({ status: 'accepted', value: '1234.5', consumption: 0 });
    const step = read([1, 2, 3, 4, 6], between({ numeric: 1234.7, takenAt: at(2) }), { hour: 1 });
    expect(step).toMatchObject({ status: 'accepted', value: '1234.6' });
    expect(step.consumption).toBeCloseTo(0.1);
  });

  it('sends to review a late reading the later accepted one contradicts', () => {
    const out = read([1, 2, 3, 4, 9], between({ numeric: 1234.7, takenAt: at(2) }), { hour: 1 });
    expect(out.status).toBe('needs_review');
    expect(out.reason).toMatch(/later accepted reading 1234\.7 .* does not follow from it: negative flow: 1234\.9 → 1234\.7/);
  });

  it('leaves rejected readings rejected and judges without a later reading as before', () => {
    expect(read([1, 2, 3, 3, 0], between({ numeric: 1234.7, takenAt: at(2) }), { hour: 1 }).status).toBe('rejected');
    expect(read([1, 2, 3, 4, 9], since(1234.5, 0), { hour: 1 }).status).toBe('accepted');
  });
});
