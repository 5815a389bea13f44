import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigitModel, type DigitReport, initBackend, loadDigitClassifier, loadLayersModelFromDir, predictProbabilities, readCalibration, saveLayersModel, shiftCrop, tf } from '@metertwin/recognizer';
import { combineModels, ensembleRecognizer } from '../src/ensemble.js';
import { trainDigits } from '../src/train.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../recognizer/test/fixtures/digits');

describe('ensemble of digit models', () => {
  let work: string;
  beforeAll(async () => {
    await initBackend();
    work = await mkdtemp(path.join(tmpdir(), 'metertwin-ensemble-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('outputs the mean of its members, and saves and loads as one model', async () => {
    const a = buildDigitModel(1);
    const b = buildDigitModel(2);
    const ensemble = await combineModels([a, b], 'digits');
    const x = tf.randomNormal([5, 32, 20, 3], 0, 1, 'float32', 4);
    const [pa, pb, pe] = [a, b, ensemble].map((m) => (m.predict(x) as tf.Tensor).arraySync() as number[][]);
    for (let i = 0; i < 5; i++)
      for (let c = 0; c < 100; c++) expect(pe![i]![c]).toBeCloseTo((pa![i]![c]! + pb![i]![c]!) / 2, 6);
    // The members differ, so the mean is not simply one of them.
    expect(Math.max(...pa![0]!.map((p, c) => Math.abs(p - pb![0]![c]!)))).toBeGreaterThan(1e-4);

    await saveLayersModel(ensemble, path.join(work, 'plain'));
    const { model } = await loadLayersModelFromDir(path.join(work, 'plain'));
    const reloaded = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    // float16 weights: close, not equal.
    for (let c = 0; c < 100; c++) expect(Math.abs(reloaded[0]![c]! - pe![0]![c]!)).toBeLessThan(2e-3);
    expect(model.countParams()).toBe(a.countParams() + b.countParams());
    tf.dispose([x, a, b, ensemble, model] as unknown as tf.Tensor[]);
  });

  it('averages the outputs over horizontal shifts of the crop when asked', async () => {
    const model = buildDigitModel(5);
    const crops = Array.from({ length: 3 }, (_, k) =>
      Uint8Array.from({ length: 1920 }, (_, i) => (i * 31 + k * 17) % 256),
    );
    const avg = await predictProbabilities(model, crops, { shifts: [-1, 0, 1] });
    const views = await Promise.all(
      [-1, 0, 1].map((dx) =>
        predictProbabilities(
          model,
          crops.map((c) => shiftCrop(c, 20, dx)),
        ),
      ),
    );
    for (let i = 0; i < avg.length; i++)
      expect(avg[i]).toBeCloseTo((views[0]![i]! + views[1]![i]! + views[2]![i]!) / 3, 6);
    // A shift moves pixels sideways and repeats the edge column.
    const row = shiftCrop(crops[0]!, 20, 1);
    expect([...row.subarray(3, 6)]).toEqual([...crops[0]!.subarray(0, 3)]);
    expect([...row.subarray(0, 3)]).toEqual([...crops[0]!.subarray(0, 3)]);
    model.dispose();
  });

  it('refuses members with different inputs', async () => {
    const digits = buildDigitModel(1);
    const dials = buildDigitModel(1, { width: 32, height: 32, channels: 3 }, 'pointers');
    await expect(combineModels([digits, dials], 'digits')).rejects.toThrow(/member 2 takes/);
    await expect(combineModels([digits], 'digits')).rejects.toThrow(/at least two/);
  });

  it('ensemble command: calibrates on the meters its members held out, scores val, classifies', async () => {
    // A small labeled folder: the fixture crops, one meter as val and one held out for calibration.
    const data = path.join(work, 'data');
    await mkdir(data, { recursive: true });
    const files = (await readdir(FIXTURES)).filter((f) => /\.(jpg|png|bmp)$/.test(f)).sort();
    const meterOf = (f: string) => f.split('_')[1]!;
    const meters = [...new Set(files.map(meterOf))].sort();
    const [valMeter, calibMeter] = [meters[0]!, meters[1]!];
    const lines = ['relpath,value,digit,meter_group,split'];
    for (const f of files) {
      await copyFile(path.join(FIXTURES, f), path.join(data, f));
      const value = Number(f.split('_')[0]);
      lines.push(
        `${f},${value},${Math.floor(value)},${meterOf(f)},${meterOf(f) === valMeter ? 'val' : 'train'}`,
      );
    }
    await writeFile(path.join(data, 'manifest.csv'), lines.join('\n') + '\n');
    await writeFile(path.join(data, 'LICENSE'), 'test data\n');

    const members: string[] = [];
    for (const seed of [1, 2]) {
      const outDir = path.join(work, `member${seed}`);
      await trainDigits({
        dataDir: data,
        outDir,
        epochs: 1,
        stepsPerEpoch: 2,
        batchSize: 8,
        seed,
        syntheticCount: 32,
        calibrationMeters: [calibMeter],
      });
      members.push(outDir);
    }
    const outDir = path.join(work, 'ensemble');
    const report = await ensembleRecognizer('digits', { memberDirs: members, dataDir: data, outDir });
    expect(report.members).toHaveLength(2);
    expect(report.calibration.fittedOn).toBe(
      `held-out train meters, 3 augmented views of each crop: ${calibMeter}`,
    );
    // The test-time shifts are saved with the model, so every loader reads crops the same way.
    expect((await readCalibration(outDir)).shifts).toEqual([-1, 0, 1]);
    expect(report.calibration.n).toBe(3 * files.filter((f) => meterOf(f) === calibMeter).length);
    expect(report.val.n).toBe(files.filter((f) => meterOf(f) === valMeter).length);
    expect(report.command).toMatch(/^pnpm -s metertwin ensemble digits --member .+ --member .+ --out /);
    const saved = JSON.parse(await readFile(path.join(outDir, 'report.json'), 'utf8')) as { version: string };
    expect(saved.version).toBe(report.version);

    // The services load it like any model, and read the val crops as the report scored them.
    const classifier = await loadDigitClassifier(outDir);
    const valFiles = files.filter((f) => meterOf(f) === valMeter);
    const predictions = await classifier.classify(valFiles.map((f) => path.join(data, f)));
    expect(classifier.version).toBe(report.version);
    const strict =
      predictions.filter((p, i) => p.digit === Math.floor(Number(valFiles[i]!.split('_')[0]))).length /
      valFiles.length;
    const val = report.val as DigitReport;
    expect(strict).toBeCloseTo(val.strictInteger, 4);
    expect(val.meanConfidence).toBeCloseTo(
      predictions.reduce((s, p) => s + p.confidence, 0) / predictions.length,
      2,
    );
    classifier.dispose();

    await mkdir(path.join(work, 'bad-shifts'));
    await writeFile(
      path.join(work, 'bad-shifts', 'calibration.json'),
      JSON.stringify({ temperature: 1, fittedOn: 'x', n: 0, brier: 0, shifts: [0.5] }),
    );
    await expect(readCalibration(path.join(work, 'bad-shifts'))).rejects.toThrow(
      /shifts must be a list of whole pixels/,
    );

    // Members that held out different meters cannot be calibrated together.
    const other = path.join(work, 'member3');
    await trainDigits({
      dataDir: data,
      outDir: other,
      epochs: 1,
      stepsPerEpoch: 1,
      batchSize: 8,
      seed: 3,
      syntheticCount: 32,
      calibrationMeters: [],
    });
    await expect(
      ensembleRecognizer('digits', {
        memberDirs: [members[0]!, other],
        dataDir: data,
        outDir: path.join(work, 'bad'),
      }),
    ).rejects.toThrow(/held out different calibration meters/);
  });
});
