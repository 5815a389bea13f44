// pnpm bench:vision [--count 500] [--seed 1]
// Over composed frames with every camera effect and per-frame shake the layout does not know about
// (rotation, shift, zoom, perspective): the share of frames whose every digit box overlaps the true
// box with IoU ≥ 0.7, with the meter's layout (registered to its reference) and without one
// (counter detection); and the time from JPEG bytes to crops, on one libvips thread.
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Box } from '@metertwin/contracts';
import { composeMeter, detectCounter, iou, locateWithLayout, processFrame, scaleLayout } from '../src/index.js';
import { createRng, uniform } from '../src/random.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '500' }, seed: { type: 'string', default: '1' } } });
const count = Number(values.count);
const rng = createRng(Number(values.seed));
sharp.concurrency(1);

const allMatch = (found: Box[] | undefined, truth: Box[]) =>
  !!found && found.length === truth.length && found.every((box, i) => iou(box, truth[i]!) >= 0.7);

let registered = 0;
let notAligned = 0;
let scaledOnly = 0;
let detected = 0;
let detectedConfidence = 0;
let missedConfidence = 0;
const qualityFlags: Record<string, number> = {};
for (let i = 0; i < count; i++) {
  const digits = 4 + Math.floor(rng() * 5);
  const decimals = Math.min(digits - 1, Math.floor(rng() * 4));
  const meter = await composeMeter({
    value: Math.floor(rng() * 10 ** digits) / 10 ** decimals,
    digits: digits - decimals,
    decimals,
    seed: 1000 + i,
    look: i % 3 === 0 ? 'infrared' : 'day',
    effects: uniform(rng, 0.6, 1),
    jitter: 1,
  });
  const frame = { width: meter.layout.reference.width, height: meter.layout.reference.height };
  if (allMatch(scaleLayout(meter.layout, frame).digits, meter.truth.digits)) scaledOnly++;
  const located = await locateWithLayout(meter.jpeg, meter.layout);
  if (located.registration.status === 'not-aligned') notAligned++;
  if (allMatch(located.digits, meter.truth.digits)) registered++;
  for (const r of located.quality.reasons) qualityFlags[r] = (qualityFlags[r] ?? 0) + 1;
  const detection = await detectCounter(meter.jpeg);
  if (allMatch(detection?.digits, meter.truth.digits)) {
    detected++;
    detectedConfidence += detection!.confidence;
  } else missedConfidence += detection?.confidence ?? 0;
  if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${count} frames\n`);
}

async function times(width: number, height: number, run: (jpeg: Buffer, meter: Awaited<ReturnType<typeof composeMeter>>) => Promise<unknown>) {
  const meter = await composeMeter({ value: 1234.567, seed: 7, width, height, effects: 0.6, jitter: 1 });
  await run(meter.jpeg, meter); // warm-up (OpenCV init)
  const ms: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    await run(meter.jpeg, meter);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: round(ms[Math.floor(ms.length / 2)]!), p95: round(ms[Math.floor(ms.length * 0.95)]!) };
}
const round = (v: number) => Math.round(v * 10) / 10;
const share = (n: number) => Math.round((10000 * n) / count) / 100;

const crops = (jpeg: Buffer, meter: Awaited<ReturnType<typeof composeMeter>>) => processFrame(jpeg, meter.layout);
const detect = (jpeg: Buffer) => detectCounter(jpeg);
const result = {
  frames: count,
  composed: true,
  withLayout: { allBoxesIoU07: share(registered), target: 99.5, notAligned: share(notAligned), scaledWithoutRegistration: share(scaledOnly) },
  withoutLayout: {
    allBoxesIoU07: share(detected),
    target: 95,
    meanConfidenceRight: round((100 * detectedConfidence) / Math.max(1, detected)) / 100,
    meanConfidenceWrong: round((100 * missedConfidence) / Math.max(1, count - detected)) / 100,
  },
  qualityFlags,
  jpegToCropsMs: { '640x480': await times(640, 480, crops), '1600x1200': await times(1600, 1200, crops) },
  detectMs: { '640x480': await times(640, 480, detect), '1600x1200': await times(1600, 1200, detect) },
  threads: { libvips: sharp.concurrency(), opencv: 'wasm, single-threaded' },
};
console.log(JSON.stringify(result, null, 2));
