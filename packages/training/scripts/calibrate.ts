// Fit (or re-fit) a saved model's temperature on its kind's calibration meters (held out of
// training, never val) and write calibration.json beside it. Training does this itself; this is
// for a model whose calibration needs redoing (e.g. after widening the temperature grid).
// Run: pnpm exec tsx --conditions=source packages/training/scripts/calibrate.ts digits|pointers [--model DIR] [--data DIR]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, KINDS, loadDigitDataset, loadLayersModelFromDir, parseKind, readCalibration, writeCalibration } from '@metertwin/recognizer';
import { fitHeldOutCalibration } from '../src/fit-calibration.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { model: { type: 'string' }, data: { type: 'string' } },
});
const kind = parseKind(positionals[0]);
const spec = KINDS[kind];
const meters = spec.calibrationMeters;
if (!meters?.length)
  throw new Error(
    `${kind}: no fixed calibration meters (they are picked at training time; see report.json data.calibration)`,
  );
await initBackend();
const modelDir = path.resolve(values.model ?? spec.defaultModelDir);
const { model } = await loadLayersModelFromDir(modelDir);
const dataset = await loadDigitDataset(path.resolve(values.data ?? spec.defaultData), {
  ...spec.scan,
  input: spec.input,
  filter: (s) => s.split === 'train' && meters.includes(s.meter),
});
// Keep the model's head and test-time shifts; only the temperature is refitted.
const current = await readCalibration(modelDir);
const fit = await fitHeldOutCalibration(
  model,
  dataset,
  dataset.samples.map((_, i) => i),
  { meters, augment: spec.calibrateAugmented ? spec.augment : undefined, shifts: current.shifts },
);
await writeCalibration(modelDir, { ...current, ...fit, head: current.head });
console.log(JSON.stringify({ modelDir, temperature: fit.temperature, brier: fit.brier, n: fit.n }));
model.dispose();
