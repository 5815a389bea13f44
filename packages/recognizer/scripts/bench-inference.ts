// Inference benchmark of the digit and pointer models on one core (the wasm backend is
// single-threaded in Node): model load time, crops/s at batch 1 and 32 (model only, and end to end
// from CropImage), and peak memory (RSS and JS heap). Each model is measured in its own process so
// the memory figures are not mixed: `pnpm bench:recognizer [digits|pointers] [--model DIR]`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/backend.js';
import { loadDigitClassifier, loadPointerClassifier } from '../src/classifier.js';
import { KINDS, parseKind } from '../src/kinds.js';
import { inputValues } from '../src/input.js';
import { loadLayersModelFromDir } from '../src/io.js';
import { predictDigits } from '../src/predict.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { model: { type: 'string' } } });

if (positionals.length === 0) {
  // One child process per model.
  for (const kind of ['digits', 'pointers']) {
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), kind], { stdio: 'inherit' });
  }
  process.exit(0);
}

const kind = parseKind(positionals[0]);
const spec = KINDS[kind];
const dir = values.model ?? spec.defaultModelDir;
let peakRss = process.memoryUsage().rss;
let peakHeap = process.memoryUsage().heapUsed;
const sampleMemory = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const memoryTimer = setInterval(sampleMemory, 20);

const backend = await initBackend();
const loadStart = performance.now();
const classifier = kind === 'digits' ? await loadDigitClassifier(dir) : await loadPointerClassifier(dir);
const loadMs = performance.now() - loadStart;
const { model } = await loadLayersModelFromDir(dir);
const n = inputValues(spec.input);
const crops = Array.from({ length: 32 }, (_, k) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + k * 13) % 256));
const cropImages = crops.map((c) => ({ width: spec.input.width, height: spec.input.height, channels: 3 as const, data: Buffer.from(c).toString('base64') }));

async function rate(label: string, batch: number, run: () => Promise<unknown>, seconds = 3): Promise<void> {
  for (let i = 0; i < 5; i++) await run();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await run();
    count += batch;
    sampleMemory();
  }
  const elapsed = (performance.now() - start) / 1000;
  console.log(`  ${label.padEnd(24)} batch ${String(batch).padStart(2)}: ${(count / elapsed).toFixed(0).padStart(6)} crops/s (${((elapsed * 1000) / count).toFixed(2)} ms/crop)`);
}

console.log(`${kind}: backend ${backend}, model ${dir} (version ${classifier.version}), load ${loadMs.toFixed(0)} ms`);
await rate('model only', 1, () => predictDigits(model, crops.slice(0, 1)));
await rate('model only', 32, () => predictDigits(model, crops));
await rate('classify(CropImage[])', 1, () => classifier.classify(cropImages.slice(0, 1)));
await rate('classify(CropImage[])', 32, () => classifier.classify(cropImages));
clearInterval(memoryTimer);
sampleMemory();
console.log(`  peak memory: RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, JS heap ${(peakHeap / 2 ** 20).toFixed(0)} MB`);
classifier.dispose();
model.dispose();
