import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIGIT_DATA, HEAD_NAMES, HEADS, loadDigitClassifier, loadDigitDataset, parseHead } from '@metertwin/recognizer';
import { trainDigits } from '../src/train.js';

const softmax = (logits: number[]) => {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('output head decoding', () => {
  it('tenths100: argmax tenth, mass of it and its neighbours', () => {
    const logits = new Array<number>(100).fill(0);
    logits[34] = 8;
    logits[35] = 7;
    const p = HEADS.tenths100.decode(softmax(logits));
    expect(p.value).toBe(3.4);
    expect(p.digit).toBe(3);
    expect(p.confidence).toBeGreaterThan(0.95);
  });

  it('digits10: circular expectation gives tenths between two digits, and across 9 → 0', () => {
    // Equal logits on 3 and 4 (others far below): halfway, 3.5.
    const between = HEADS.digits10.decode(softmax([-20, -20, -20, 5, 5, -20, -20, -20, -20, -20]));
    expect(between.value).toBe(3.5);
    expect(between.digit).toBe(3);
    expect(between.confidence).toBeCloseTo(Math.cos(Math.PI / 10), 2);
    // 0.6 on 3 and 0.4 on 4 (the training target of 3.4) decodes near 3.4 (the angle of the mean vector).
    expect(HEADS.digits10.decode([0, 0, 0, 0.6, 0.4, 0, 0, 0, 0, 0]).value).toBe(3.4);
    // 9 and 0 weigh alike: 9.5, not the linear mean 4.5.
    expect(HEADS.digits10.decode([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.5]).value).toBe(9.5);
    // Uniform (junk): no direction, confidence 0.
    expect(HEADS.digits10.decode(new Array<number>(10).fill(0.1)).confidence).toBe(0);
  });

  it('circular: atan2 of (cos, sin), confidence the clipped length', () => {
    const at = (v: number, r: number) => [r * Math.cos((v * Math.PI) / 5), r * Math.sin((v * Math.PI) / 5)];
    expect(HEADS.circular.decode(at(7.3, 0.5))).toEqual({ value: 7.3, digit: 7, confidence: 0.5 });
    expect(HEADS.circular.decode(at(9.96, 1.4))).toEqual({ value: 0, digit: 0, confidence: 1 });
    expect(HEADS.circular.decode([0, -0.8]).value).toBe(7.5);
  });

  it('targets: digits10 splits between neighbours, circular is the unit vector, junk (NaN) carries no direction', () => {
    const t10 = HEADS.digits10.targets([3.4, 9.7, NaN]);
    expect(t10[3]).toBeCloseTo(0.6);
    expect(t10[4]).toBeCloseTo(0.4);
    expect(t10[10 + 9]).toBeCloseTo(0.3);
    expect(t10[10 + 0]).toBeCloseTo(0.7);
    expect(Array.from(t10.subarray(20))).toEqual(new Array<number>(10).fill(0.1).map(Math.fround));
    const tc = HEADS.circular.targets([5, NaN]);
    expect(tc[0]).toBeCloseTo(-1);
    expect(tc[1]).toBeCloseTo(0);
    expect([tc[2], tc[3]]).toEqual([0, 0]);
    // Every head's target decodes back to the label.
    for (const h of HEAD_NAMES) expect(HEADS[h].decode(HEADS[h].targets([6.2]))).toMatchObject({ value: 6.2, digit: 6 });
  });

  it('parseHead defaults to tenths100 and rejects unknown heads', () => {
    expect(parseHead(undefined)).toBe('tenths100');
    expect(parseHead('circular')).toBe('circular');
    expect(() => parseHead('softmax')).toThrow(/tenths100, digits10, circular/);
  });
});

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../recognizer/test/fixtures/digits');
const FIXTURE = path.join(FIXTURES, readdirSync(FIXTURES).sort()[0]!);
const METERS = new Set(['watermeter/Techem/V_DR', 'gasmeter/GMT/iotson', 'powermeter/emeter1']);

describe('training smoke per head', () => {
  it('trains 2 steps with each head, saves the head, and the classifier decodes with it', async () => {
    if (!existsSync(DEFAULT_DIGIT_DATA)) {
      throw new Error(`training data not found at ${DEFAULT_DIGIT_DATA} (clone the shared data next to the repository to run this test)`);
    }
    let n = 0;
    const dataset = await loadDigitDataset(DEFAULT_DIGIT_DATA, {
      filter: (s) => s.split === 'train' && METERS.has(s.meter) && n++ % 32 === 0,
    });
    expect(dataset.samples.length).toBeGreaterThan(50);
    const dir = await mkdtemp(path.join(tmpdir(), 'heads-'));
    try {
      for (const head of HEAD_NAMES) {
        const outDir = path.join(dir, head);
        const { model, losses, report } = await trainDigits({ dataset, epochs: 1, stepsPerEpoch: 2, batchSize: 8, seed: 3, validate: false, head, outDir, syntheticCount: 64 });
        expect(losses).toHaveLength(2);
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(model.outputs[0]!.shape[1]).toBe(HEADS[head].units);
        expect(report.model.head).toContain(head);
        expect(JSON.parse(await readFile(path.join(outDir, 'calibration.json'), 'utf8')).head).toBe(head);
        model.dispose();
        const classifier = await loadDigitClassifier(outDir);
        const [p] = await classifier.classify([FIXTURE]);
        classifier.dispose();
        expect(p!.value).toBeGreaterThanOrEqual(0);
        expect(p!.value).toBeLessThan(10);
        expect(p!.digit).toBe(Math.floor(p!.value));
        expect(p!.confidence).toBeGreaterThanOrEqual(0);
        expect(p!.confidence).toBeLessThanOrEqual(1);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
