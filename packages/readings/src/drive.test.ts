import { describe, expect, it } from 'vitest';
import { assembleValue, withPointers } from './assemble.js';
import { checkDrive, effectiveDrive, learnDrive, onlyDrive, onlyDriveOfStored } from './drive.js';
import { evaluateReading } from './evaluate.js';
import { ReadingRulesSchema } from './rules.js';

const drums = (...values: number[]) => values.map((value) => ({ value, confidence: 0.95 }));
const shape = { digits: 5, decimals: 1 };

describe('checkDrive', () => {
  it('tells a jump drive from a continuous one by a drum between digits', () => {
    // 1234.5 at rest on a jump drive: every drum on its digit.
    expect(checkDrive(drums(1, 2, 3, 4, 5), shape, 'auto')).toEqual({ drive: 'jump', contradiction: null });
    // 1234.5 on a continuous drive: each drum a tenth of its neighbour's turn past its digit.
    expect(checkDrive(drums(1.2, 2.3, 3.5, 4.5, 5), shape, 'auto')).toEqual({ drive: 'continuous', contradiction: null });
    // A jump drive carrying: the 2 half-way while its neighbour passes 9 → 0.
    expect(checkDrive(drums(1, 2.5, 9.5, 9.5, 9.5), shape, 'jump').drive).toBe('jump');
  });

  it('under auto, keeps the closer fit of drums that fit both drives, and the other reading when it differs', () => {
    // 0001.9018 on a continuous drive with the units drum (1.90) read as 2.0: at rest it would be a 2,
    // but its neighbour at 9.0 puts it 0.9 past a 1, and the 0.2s are a tenth of their neighbours' 2s.
    const read = drums(0, 0.2, 2.0, 9.0, 0.2, 1.8);
    const six = { digits: 6, decimals: 3 };
    expect(checkDrive(read, six, 'jump').drive).toBe('jump');
    expect(checkDrive(read, six, 'auto').drive).toBe('continuous');
    expect(assembleValue(read, six, 'continuous')).toMatchObject({ text: '001.901', contradiction: null });
    expect(assembleValue(read, six, 'jump')).toMatchObject({ text: '002.901', contradiction: null });
    // Unconfigured, the two drives read it differently: two values, the closer fit first.
    expect(assembleValue(read, six)).toMatchObject({
      text: '001.901',
      drive: 'continuous',
      contradiction: null,
      alternative: { drive: 'jump', text: '002.901' },
    });
    // Drums on their digits next to mid-range neighbours fit a jump drive alone.
    expect(checkDrive(drums(1, 2, 3, 4, 5), shape, 'auto').drive).toBe('jump');
  });

  it('names the drum that contradicts the configured drive, and either drive under auto', () => {
    // The tens drum half-way while its neighbour rests on 5: no jump drive does that.
    const jump = checkDrive(drums(1, 2, 3.5, 5, 0), shape, 'jump');
    expect(jump.drive).toBeNull();
    expect(jump.contradiction).toMatch(/drum 2 at 3\.5, drum 3 at 5\.0 \(between digits/);
    // A continuous drive would have the hundreds drum 0.35 past its 2, not on it.
    const continuous = checkDrive(drums(1, 2, 3.5, 5, 0), shape, 'continuous');
    expect(continuous.contradiction).toMatch(/drum 1 at 2\.0, drum 2 at 3\.5 \(not a tenth/);
    // Under auto the two drums fit neither: a misread or stuck drum.
    expect(checkDrive(drums(1, 2, 3.5, 5, 0), shape, 'auto').contradiction).toMatch(/jump or continuous/);
  });

  it('leaves pointer dials out: they always turn continuously', () => {
    const dialled = withPointers({ digits: 4, decimals: 1 }, 2);
    expect(checkDrive(drums(1, 2, 3, 4, 5.5, 2), dialled, 'jump').drive).toBe('jump');
  });
});

describe("learning a meter's drive from its reviewed readings", () => {
  it('takes only photos whose drums fit one drive', () => {
    expect(onlyDrive(drums(1, 2, 3, 4, 5), shape)).toBe('jump');
    expect(onlyDrive(drums(1.2, 2.3, 3.5, 4.5, 5), shape)).toBe('continuous');
    // On their digits next to low neighbours: either drive shows that.
    expect(onlyDrive(drums(1, 1, 1, 1, 1), shape)).toBeNull();
    // A drum half-way next to a resting neighbour and a resting drum next to a 5: neither.
    expect(onlyDrive(drums(1, 2, 3.5, 5, 0), shape)).toBeNull();
  });

  it("reads a stored reading's drums, its dials left out of the drive", () => {
    const stored = (...values: number[]) => values.map((value) => ({ value, digit: Math.floor(value), confidence: 0.95, box: [0, 0, 1, 1] }));
    expect(onlyDriveOfStored(stored(1.2, 2.3, 3.5, 4.5, 5))).toBe('continuous');
    // 1234 jumping, then three dials: the last drum next to a dial at 5.5 must not count as continuous.
    const dialled = [...stored(1, 2, 3, 4), ...[5.5, 2, 7].map((value) => ({ kind: 'pointer', value, digit: Math.floor(value), confidence: 0.9, box: [0, 0, 1, 1] }))];
    expect(onlyDriveOfStored(dialled)).toBe('jump');
    expect(onlyDriveOfStored(null)).toBeNull();
    expect(onlyDriveOfStored([{ value: 'x' }])).toBeNull();
  });

  it('learns the drive from three readings that agree, and not from fewer', () => {
    expect(learnDrive(['continuous', null, 'continuous'])).toMatchObject({ drive: null, figures: { readings: 3, jump: 0, continuous: 2 } });
    const learned = learnDrive(['continuous', null, 'continuous', 'continuous']);
    expect(learned).toMatchObject({ drive: 'continuous', figures: { readings: 4, jump: 0, continuous: 3 } });
    expect(learned.reason).toMatch(/3 of the 3 .* continuous/);
  });

  it('is not flipped or blocked by one photo with a misread drum, but refuses drives shown in earnest both ways', () => {
    const nine = new Array<'jump'>(9).fill('jump');
    expect(learnDrive([...nine, 'continuous']).drive).toBe('jump');
    expect(learnDrive(['jump', 'jump', 'jump', 'continuous']).drive).toBeNull();
    expect(learnDrive(['jump', 'jump', 'jump', 'continuous', 'continuous', 'continuous']).reason).toMatch(/both drives/);
  });

  it('judges with the learned drive only where the meter leaves it open', () => {
    expect(effectiveDrive('auto', 'continuous')).toBe('continuous');
    expect(effectiveDrive('auto', null)).toBe('auto');
    expect(effectiveDrive('jump', 'continuous')).toBe('jump');
  });
});

describe('assembleValue under a continuous drive', () => {
  it('reads a drum half-way in step with its neighbour as the digit it has passed, not rounded up', () => {
    // 1234.5 geared continuously: the units drum stands at 4.5, the tens at 3.45.
    const read = assembleValue(drums(1.2, 2.3, 3.5, 4.5, 5), shape);
    expect(read).toMatchObject({ text: '1234.5', drive: 'continuous', contradiction: null });
    // The same positions read as a jump drive would round the 3.5 and 4.5 up.
    expect(assembleValue(drums(1.2, 2.3, 3.5, 4.5, 5), shape, 'jump')).toMatchObject({ text: '1245.5', drive: null });
    // Just before the carry: 1299.95 continuous, every drum about to arrive.
    expect(assembleValue(drums(1.3, 2.99, 9.95, 9.9, 9.5), shape, 'continuous').text).toBe('1299.9');
  });
});

describe('evaluateReading with mechanically contradicting drums', () => {
  it('sends them to review with the reason, even as a first reading with confident drums', () => {
    const rules = ReadingRulesSchema.parse({ drive: 'jump' });
    const read = drums(1, 2, 3.5, 5, 0);
    const verdict = evaluateReading({
      drums: read,
      assembled: assembleValue(read, shape, rules.drive),
      shape,
      history: { previous: null, rejected: [] },
      takenAt: new Date('2026-01-01T00:00Z'),
      rules,
    });
    expect(verdict.status).toBe('needs_review');
    expect(verdict.reason).toMatch(/drums contradict a jump drive: drum 2/);
  });

  it('lets the history choose between the readings of two drives, and sends the photo to review when it cannot', () => {
    // 00000.900 on a jump drive, or 99999.900 on a continuous one (the 0.0 next to the 9.0 a 9.9).
    const read = drums(0, 0, 0, 0, 0, 9, 0, 0);
    const eight = { digits: 8, decimals: 3 };
    const judge = (previous: number | null, maxFlowPerHour = 1) =>
      evaluateReading({
        drums: read,
        assembled: assembleValue(read, eight),
        shape: eight,
        history: { previous: previous === null ? null : { numeric: previous, takenAt: new Date('2026-01-01T00:00Z') }, rejected: [] },
        takenAt: new Date('2026-01-01T01:00Z'),
        rules: ReadingRulesSchema.parse({ maxFlowPerHour }),
      });
    expect(judge(0.61)).toMatchObject({
      status: 'accepted',
      value: '00000.900',
      reason: 'the drums fit a jump and a continuous drive, which read 00000.900 and 99999.900: the history allows only 00000.900',
    });
    // Just before the wrap, the history allows only the other reading; with a higher flow limit, both.
    expect(judge(99999.5)).toMatchObject({ status: 'accepted', value: '99999.900' });
    expect(judge(99999.5, 2)).toMatchObject({ status: 'needs_review', reason: expect.stringMatching(/: the history allows both; the meter's drive decides$/) });
    // A first reading has no history to choose with.
    expect(judge(null)).toMatchObject({
      status: 'needs_review',
      reason: "the drums fit a jump and a continuous drive, which read 00000.900 and 99999.900: no history to choose; the meter's drive decides",
    });
  });

  it('accepts the continuous reading of a meter left on auto', () => {
    const rules = ReadingRulesSchema.parse({});
    const read = drums(1.2, 2.3, 3.5, 4.5, 5);
    const verdict = evaluateReading({
      drums: read,
      assembled: assembleValue(read, shape, rules.drive),
      shape,
      history: { previous: { numeric: 1234.2, takenAt: new Date('2026-01-01T00:00Z') }, rejected: [] },
      takenAt: new Date('2026-01-01T01:00Z'),
      rules,
    });
    expect(verdict).toMatchObject({ status: 'accepted', value: '1234.5', reason: null });
  });
});
