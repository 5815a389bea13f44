import path from 'node:path';
import { initBackend } from './backend.js';
import { readCalibration } from './calibration.js';
import { loadDigitDataset, splitIndices } from './dataset.js';
import { loadLayersModelFromDir } from './io.js';
import { KINDS, type RecognizerKind } from './kinds.js';
import { modelInputShape } from './predict.js';
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
