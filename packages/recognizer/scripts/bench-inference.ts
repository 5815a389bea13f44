// Inference speed of a digit model: crops/s at batch 1 and batch 32 (preprocessed input, model only,
// and end-to-end from CropImage). Run: pnpm exec tsx --conditions=source packages/recognizer/scripts/bench-inference.ts [modelDir]
import { loadDigitClassifier } from '../src/classifier.js';
import { DIGIT_INPUT } from '../src/input.js';
import { loadLayersModelFromDir } from '../src/io.js';
import { DEFAULT_DIGIT_MODEL_DIR } from '../src/paths.js';
import { predictDigits } from '../src/predict.js';
import { initBackend } from '../src/backend.js';

const dir = process.argv[2] ?? DEFAULT_DIGIT_MODEL_DIR;
const backend = await initBackend();
const { model } = await loadLayersModelFromDir(dir);
const classifier = await loadDigitClassifier(dir);
const n = DIGIT_INPUT.width * DIGIT_INPUT.height * 3;
const crops = Array.from({ length: 32 }, (_, k) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + k * 13) % 256));
const cropImages = crops.map((c) => ({ width: DIGIT_INPUT.width, height: DIGIT_INPUT.height, channels: 3 as const, data: Buffer.from(c).toString('base64') }));

async function rate(label: string, batch: number, run: () => Promise<unknown>, seconds = 3): Promise<void> {
  for (let i = 0; i < 5; i++) await run();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await run();
    count += batch;
  }
  const elapsed = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(34)} batch ${String(batch).padStart(2)}: ${(count / elapsed).toFixed(0)} crops/s (${((elapsed * 1000) / count).toFixed(2)} ms/crop)`);
}

console.log(`backend ${backend}, model ${dir}`);
await rate('model only', 1, () => predictDigits(model, crops.slice(0, 1)));
await rate('model only', 32, () => predictDigits(model, crops));
await rate('classify(CropImage[])', 1, () => classifier.classify(cropImages.slice(0, 1)));
await rate('classify(CropImage[])', 32, () => classifier.classify(cropImages));
