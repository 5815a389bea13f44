import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_FILE, adaptRecognizer } from '../src/adapt.js';
import { loadDigitClassifier } from '../src/classifier.js';

/** Real crops shipped in packages/sample-data (Apache-2.0, see its ATTRIBUTION.md): one meter adapted to, the others replayed. */
const DIGITS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sample-data/digits');

describe('adaptRecognizer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'metertwin-adapt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a model every loader reads, with a report that judges it against the base on held-back crops', async () => {
    const out = path.join(dir, 'adapted');
    const report = await adaptRecognizer({
      kind: 'digits',
      dataDir: path.join(DIGITS, 'iskra-t3f-2025'),
      outDir: out,
      replayDirs: ['iotson-emeter1', 'jomjol-20220606'].map((m) => path.join(DIGITS, m)),
      steps: 8,
    });
    expect(report.labels.heldBack).toBe(Math.floor((report.labels.train + report.labels.heldBack) / 5));
    expect(report.heldBack.base.n).toBe(report.labels.heldBack);
    expect(report.heldBack.adapted.right).toBeLessThanOrEqual(report.heldBack.adapted.n);
    expect(report.version).not.toBe(report.baseVersion);
    const { base, adapted } = report.heldBack;
    expect(adapted.truthMass).toBeGreaterThan(0);
    expect(adapted.truthMass).toBeLessThanOrEqual(1);
    // One answer per held-back label, agreeing with the counts a meter's trust and threshold are decided on.
    expect(adapted.answers).toHaveLength(adapted.n);
    expect(adapted.answers.filter((a) => a.right)).toHaveLength(adapted.right);
    expect(adapted.answers.filter((a) => !a.right && a.confidence >= 0.9)).toHaveLength(adapted.wrongConfident);
    expect(report.better).toBe(adapted.right >= base.right && adapted.wrongConfident <= base.wrongConfident && adapted.truthMass > base.truthMass);
    expect(JSON.parse(await readFile(path.join(out, ADAPTER_FILE), 'utf8'))).toEqual(report);

    const classifier = await loadDigitClassifier(out);
    expect(classifier.version).toBe(report.version);
    const crops = (await readdir(path.join(DIGITS, 'iskra-t3f-2025'))).slice(0, 4).map((f) => path.join(DIGITS, 'iskra-t3f-2025', f));
    const predictions = await classifier.classify(crops);
    expect(predictions).toHaveLength(4);
    for (const p of predictions) expect(p.confidence).toBeGreaterThan(0);
    classifier.dispose();
  }, 180_000);

  it('refuses a folder without labeled crops, or with too few to hold one back', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    await expect(adaptRecognizer({ kind: 'digits', dataDir: empty, outDir: path.join(dir, 'x'), replayDirs: [DIGITS] })).rejects.toThrow(/no labeled crops/);
    const few = path.join(dir, 'few');
    await mkdir(few);
    await copyFile(path.join(DIGITS, 'iskra-t3f-2025', '0.0_4f2bf9f446c2fc24dcc39824867ee23d.jpg'), path.join(few, '0.0_a.jpg'));
    await expect(adaptRecognizer({ kind: 'digits', dataDir: few, outDir: path.join(dir, 'x'), replayDirs: [DIGITS] })).rejects.toThrow(/1 labeled crops are too few/);
  });
});
