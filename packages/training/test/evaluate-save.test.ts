import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Evaluation, saveEvaluation } from '../src/evaluate.js';
import { DEFAULT_POINTER_MODEL_DIR, loadLayersModelFromDir } from '@metertwin/recognizer';
import { scoreJunk } from '../src/score.js';

describe('junk rejection and saving an evaluation into report.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'recognizer-save-'));
    await cp(DEFAULT_POINTER_MODEL_DIR, dir, { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the junk rejected at the review threshold and at the others, and writes it into the report of that model', async () => {
    const { model, version } = await loadLayersModelFromDir(dir);
    const junk = await scoreJunk(model, { temperature: 0.5 });
    model.dispose();
    expect(junk.threshold).toBe(0.9);
    expect(junk.byThreshold.map((t) => t.threshold)).toEqual([0.6, 0.75, 0.9]);
    // The review threshold's entry is the headline figure; a higher threshold never rejects less.
    expect(junk.byThreshold[2]!.rejected).toBe(junk.rejected);
    expect(junk.byThreshold[2]!.byKind.letter).toBe(junk.byKind.letter!.rejected);
    expect(junk.byThreshold[0]!.rejected).toBeLessThanOrEqual(junk.byThreshold[1]!.rejected);

    const before = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
    const val = { n: 3, meanError: 0.1, within2: 1, within1: 0.5, meanConfidence: 0.8, perPointer: {}, reliability: { ece: 0.1, bins: [] } };
    const evaluation = { kind: 'pointers', version, data: '/data/needles', split: 'val', temperature: 0.5, ...val, junk } as unknown as Evaluation;
    await saveEvaluation(dir, evaluation, 'pnpm -s metertwin evaluate pointers --save');
    const after = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(after).toMatchObject({ version, command: before.command, training: before.training, val, junk });
    expect(after.evaluated).toMatchObject({ command: 'pnpm -s metertwin evaluate pointers --save', data: 'needles' });

    await expect(saveEvaluation(dir, { ...evaluation, version: 'another' }, 'x')).rejects.toThrow(/report of model/);
  });
});
