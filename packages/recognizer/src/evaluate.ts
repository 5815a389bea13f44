import path from 'node:path';
import { initBackend } from './backend.js';
import { DEFAULT_DIGIT_DATA, loadDigitDataset, splitIndices } from './dataset.js';
import { loadLayersModelFromDir } from './io.js';
import type { DigitReport } from './metrics.js';
import { DEFAULT_DIGIT_MODEL_DIR } from './paths.js';
import { scoreSplit } from './train.js';

export interface DigitEvaluation extends DigitReport {
  version: string;
  data: string;
  split: 'val';
}

/** Score a saved model on the val split of a data folder (same metrics as report.json). */
export async function evaluateDigits(
  options: { dataDir?: string; modelDir?: string } = {},
): Promise<DigitEvaluation> {
  await initBackend();
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_DIGIT_DATA);
  const { model, version } = await loadLayersModelFromDir(options.modelDir ?? DEFAULT_DIGIT_MODEL_DIR);
  try {
    const dataset = await loadDigitDataset(dataDir, { filter: (s) => s.split === 'val' });
    const val = splitIndices(dataset, 'val');
    if (val.length === 0) throw new Error(`no val samples in ${dataDir}`);
    const report = await scoreSplit(model, dataset, val);
    return { version, data: dataDir, split: 'val', ...report };
  } finally {
    model.dispose();
  }
}
