// The cascade (predict.ts `quickAccept`) against the full read on labeled crops: for each margin, the
// share of crops the unshifted read settles (the inference it saves) and, at the acceptance threshold,
// crops read right and wrong (more than ±0.1 from the label, circularly) by the full read and by the
// cascade; crops only the cascade accepts (and how many of them are wrong), crops both accept with
// another tenth.
// `pnpm exec tsx --conditions=source packages/recognizer/scripts/eval-cascade.ts [--split val] [--limit N]
//  [--min-confidence 0.9] [--margins 0.95,0.98,0.99]`
import { parseArgs } from 'node:util';
import { initBackend } from '../src/backend.js';
import { readCalibration } from '../src/calibration.js';
import { DEFAULT_DIGIT_DATA, loadDigitDataset, SAMPLE_BYTES, type Split } from '../src/dataset.js';
import { loadLayersModelFromDir } from '../src/io.js';
import { DEFAULT_DIGIT_MODEL_DIR } from '../src/paths.js';
import { predictDigits } from '../src/predict.js';

const { values } = parseArgs({
  options: {
    split: { type: 'string', default: 'val' },
    limit: { type: 'string' },
    'min-confidence': { type: 'string', default: '0.9' },
    margins: { type: 'string', default: '0.95,0.97,0.98,0.99,0.995' },
    data: { type: 'string', default: DEFAULT_DIGIT_DATA },
    model: { type: 'string', default: DEFAULT_DIGIT_MODEL_DIR },
  },
});
const split = values.split as Split;
const threshold = Number(values['min-confidence']);
const margins = values.margins.split(',').map(Number);

await initBackend();
const { model } = await loadLayersModelFromDir(values.model);
const calibration = await readCalibration(values.model);
const dataset = await loadDigitDataset(values.data, { filter: (s) => s.split === split });
const n = Math.min(dataset.samples.length, values.limit ? Number(values.limit) : Infinity);
const crops = Array.from({ length: n }, (_, i) => dataset.pixels.subarray(i * SAMPLE_BYTES, (i + 1) * SAMPLE_BYTES));
const labels = dataset.samples.slice(0, n).map((s) => s.cls);
const wrong = (value: number, cls: number) => {
  const d = Math.abs(Math.round(value * 10) - cls) % 100;
  return Math.min(d, 100 - d) > 1;
};

function tally(preds: { value: number; confidence: number }[]) {
  let right = 0;
  let wrongAccepted = 0;
  preds.forEach((p, i) => {
    if (p.confidence < threshold) return;
    if (wrong(p.value, labels[i]!)) wrongAccepted++;
    else right++;
  });
  return { accepted: right + wrongAccepted, rightAccepted: right, wrongAccepted };
}

const inference = { temperature: calibration.temperature, head: calibration.head, shifts: calibration.shifts };
const time = async <T>(run: () => Promise<T>) => {
  const start = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(start);
  return { result, cpuMs: (used.user + used.system) / 1000 };
};
const full = await time(() => predictDigits(model, crops, inference));
const unshifted = await predictDigits(model, crops, { ...inference, shifts: [0] });
const rows: object[] = [{ read: 'full', cpuMsPerCrop: full.cpuMs / n, ...tally(full.result) }];
for (const quickAccept of margins) {
  const cascade = await time(() => predictDigits(model, crops, { ...inference, quickAccept }));
  const onlyCascade = cascade.result.flatMap((p, i) => (p.confidence >= threshold && full.result[i]!.confidence < threshold ? [i] : []));
  const onlyCascadeWrong = onlyCascade.filter((i) => wrong(cascade.result[i]!.value, labels[i]!)).length;
  const flipped = cascade.result.filter((p, i) => p.confidence >= threshold && full.result[i]!.confidence >= threshold && p.value !== full.result[i]!.value).length;
  rows.push({ read: `cascade ${quickAccept}`, acceptedOnlyByCascade: onlyCascade.length, wrongAcceptedOnlyByCascade: onlyCascadeWrong, acceptedByBothOtherValue: flipped, settledUnshifted: unshifted.filter((p) => p.confidence >= quickAccept).length / n, cpuMsPerCrop: cascade.cpuMs / n, ...tally(cascade.result) });
}
console.log(JSON.stringify({ split, crops: n, minConfidence: threshold, rows }, null, 1));
