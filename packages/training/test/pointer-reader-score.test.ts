import { describe, expect, it } from 'vitest';
import { DEFAULT_POINTER_MODEL_DIR, loadDigitDataset, loadLayersModelFromDir, POINTER_INPUT, type PointerReport, readCalibration } from '@metertwin/recognizer';
import { needlesDir } from '@metertwin/sample-data';
import { scoreSplit } from '../src/score.js';

describe('pointer figures of the reader recognize uses', () => {
  it('scores the dials as recognize reads them (model checked by the geometry) next to the model alone', async () => {
    const dataset = await loadDigitDataset(needlesDir, { input: POINTER_INPUT, cache: false });
    const { model } = await loadLayersModelFromDir(DEFAULT_POINTER_MODEL_DIR);
    const { temperature, head } = await readCalibration(DEFAULT_POINTER_MODEL_DIR);
    const report = await scoreSplit('pointers', model, dataset, dataset.samples.map((_, i) => i), { temperature, head });
    model.dispose();

    const modelAlone = report as PointerReport;
    expect(report.reader?.n).toBe(100);
    // Red pointers: the geometry's finer position replaces the model's, so the error moves (measured:
    // model 0.108 steps, 94% within ±0.2; reader 0.112, 92%, on these train-pointer crops).
    expect(report.reader!.meanError).not.toBe(modelAlone.meanError);
    expect(report.reader!.within2).toBeGreaterThanOrEqual(0.9);

    // The same crops in grey: no red pointer, so the geometry abstains and the reader is the model.
    const grey = dataset.pixels.slice();
    for (let p = 0; p < grey.length; p += 3) grey[p] = grey[p + 1] = grey[p + 2] = Math.round((grey[p]! + grey[p + 1]! + grey[p + 2]!) / 3);
    const greyModel = (await loadLayersModelFromDir(DEFAULT_POINTER_MODEL_DIR)).model;
    const greyReport = await scoreSplit('pointers', greyModel, { ...dataset, pixels: grey }, dataset.samples.map((_, i) => i), { temperature, head });
    greyModel.dispose();
    const { perPointer, ...greyReader } = greyReport.reader!;
    expect(greyReader).toEqual({ ...pick(greyReport as PointerReport), wrongConfident: greyReport.wrongConfident });
    expect(Object.keys(perPointer)).toEqual(Object.keys((greyReport as PointerReport).perPointer));
  });
});

function pick({ n, meanError, within2, within1, meanConfidence }: PointerReport) {
  return { n, meanError, within2, within1, meanConfidence };
}
