import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { initBackend, KINDS, loadDigitDataset, loadLayersModelFromDir, modelInputShape, readCalibration, type RecognizerKind, splitIndices } from '@metertwin/recognizer';
import { type JunkReport, scoreJunk, scoreSplit, type SplitReport } from './score.js';

export type Evaluation = SplitReport & {
  kind: RecognizerKind;
  version: string;
  data: string;
  split: 'val';
  temperature: number;
  junk: JunkReport;
};
/** @deprecated name kept for callers of the digit-only API. */
export type DigitEvaluation = Evaluation;

/**
 * Score a saved model on the val split of a data folder (same metrics as report.json, with the
 * model's calibration), plus the junk rejection rate at the review threshold.
 */
export async function evaluateRecognizer(
  kind: RecognizerKind,
  options: { dataDir?: string; modelDir?: string } = {},
): Promise<Evaluation> {
  await initBackend();
  const spec = KINDS[kind];
  const dataDir = path.resolve(options.dataDir ?? spec.defaultData);
  const modelDir = options.modelDir ?? spec.defaultModelDir;
  const { model, version } = await loadLayersModelFromDir(modelDir);
  try {
    const { temperature, head, shifts } = await readCalibration(modelDir);
    const dataset = await loadDigitDataset(dataDir, { ...spec.scan, input: modelInputShape(model), filter: (s) => s.split === 'val' });
    const val = splitIndices(dataset, 'val');
    if (val.length === 0) throw new Error(`no val samples in ${dataDir}`);
    const report = await scoreSplit(kind, model, dataset, val, { temperature, head, shifts });
    const junk = await scoreJunk(model, { temperature, head, shifts });
    return { kind, version, data: dataDir, split: 'val', temperature, ...report, junk };
  } finally {
    model.dispose();
  }
}

export function evaluateDigits(options: { dataDir?: string; modelDir?: string } = {}): Promise<Evaluation> {
  return evaluateRecognizer('digits', options);
}

/**
 * Writes an evaluation's val and junk figures into the model's report.json (the report of that very
 * model: same version), so that the report carries the figures quoted from it after the scoring changed
 * (e.g. junk at a new review threshold); `evaluated` says by which command and when.
 */
export async function saveEvaluation(modelDir: string, evaluation: Evaluation, command: string): Promise<void> {
  const file = path.join(modelDir, 'report.json');
  const report = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  if (report.version !== evaluation.version) {
    throw new Error(`${file} is the report of model ${String(report.version)}, not of ${evaluation.version}`);
  }
  // The report keeps the split's figures under `val`, without the evaluation's own header.
  const val: Record<string, unknown> = { ...evaluation };
  for (const key of ['kind', 'version', 'data', 'split', 'temperature', 'junk']) delete val[key];
  const evaluated = { command, at: new Date().toISOString(), data: path.basename(evaluation.data) };
  await writeFile(file, JSON.stringify({ ...report, val, junk: evaluation.junk, evaluated }, null, 2) + '\n');
}

