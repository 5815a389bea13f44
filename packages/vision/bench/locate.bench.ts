// pnpm bench:vision [--count 500] [--seed 1]
// Over composed frames with every camera effect and per-frame shake the layout does not know about
// (rotation, shift, zoom, perspective): the share of frames whose every digit box overlaps the true
// box with IoU ≥ 0.7, with the meter's layout (registered to its reference) and without one
// (counter detection); the same for count/4 frames of counters turned anywhere and tilted
// ("turned"); and the time from JPEG bytes to crops, on one libvips thread.
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Box } from '@metertwin/contracts';
import { composeMeter, createRng, uniform } from '@metertwin/composer';
import { detectCounter, iou, locateWithLayout, processFrame, scaleLayout } from '../src/index.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '500' }, seed: { type: 'string', default: '1' } } });
const count = Number(values.count);
const rng = createRng(Number(values.seed));
sharp.concurrency(1);

const allMatch = (found: Box[] | undefined, truth: Box[]) =>
  !!found && found.length === truth.length && found.every((box, i) => iou(box, truth[i]!) >= 0.7);

interface Tally {
  frames: number;
  registered: number;
  notAligned: number;
  scaledOnly: number;
  detected: number;
  /** Every box right but maybe in reverse order: the window found, its reading direction left open. */
  detectedEitherWay: number;
  detectedConfidence: number;
  missedConfidence: number;
  qualityFlags: Record<string, number>;
}
const tally = (): Tally => ({ frames: 0, registered: 0, notAligned: 0, scaledOnly: 0, detected: 0, detectedEitherWay: 0, detectedConfidence: 0, missedConfidence: 0, qualityFlags: {} });

async function measure(t: Tally, meter: Awaited<ReturnType<typeof composeMeter>>) {
  t.frames++;
  const frame = { width: meter.layout.reference.width, height: meter.layout.reference.height };
  if (allMatch(scaleLayout(meter.layout, frame).digits, meter.truth.digits)) t.scaledOnly++;
  const located = await locateWithLayout(meter.jpeg, meter.layout);
  if (located.registration.status === 'not-aligned') t.notAligned++;
  if (allMatch(located.digits, meter.truth.digits)) t.registered++;
  for (const r of located.quality.reasons) t.qualityFlags[r] = (t.qualityFlags[r] ?? 0) + 1;
  const detection = await detectCounter(meter.jpeg);
  if (allMatch(detection?.digits, meter.truth.digits) || allMatch(detection?.digits.toReversed(), meter.truth.digits)) t.detectedEitherWay++;
  if (allMatch(detection?.digits, meter.truth.digits)) {
    t.detected++;
    t.detectedConfidence += detection!.confidence;
  } else t.missedConfidence += detection?.confidence ?? 0;
}

function meterStyle() {
  const digits = 4 + Math.floor(rng() * 5);
  const decimals = Math.min(digits - 1, Math.floor(rng() * 4));
  return { value: Math.floor(rng() * 10 ** digits) / 10 ** decimals, digits: digits - decimals, decimals };
}

const level = tally();
for (let i = 0; i < count; i++) {
  const meter = await composeMeter({ ...meterStyle(), seed: 1000 + i, look: i % 3 === 0 ? 'infrared' : 'day', effects: uniform(rng, 0.6, 1), jitter: 1 });
  await measure(level, meter);
  if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${count} frames\n`);
}
// a camera mounted beside the meter: the counter turned anywhere, tilted, every other one white on black
const turned = tally();
for (let i = 0; i < Math.ceil(count / 4); i++) {
  const mount = { rotationDeg: Math.round(uniform(rng, -180, 180)), shift: [0, 0] as [number, number], tilt: [uniform(rng, -0.1, 0.1), uniform(rng, -0.1, 0.1)] as [number, number] };
  const meter = await composeMeter({ ...meterStyle(), seed: 5000 + i, look: i % 3 === 0 ? 'infrared' : 'day', effects: uniform(rng, 0.6, 1), jitter: 1, mount, whiteOnBlack: i % 2 === 0 });
  await measure(turned, meter);
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
const share = (t: Tally, n: number) => Math.round((10000 * n) / t.frames) / 100;
const report = (t: Tally) => ({
  frames: t.frames,
  withLayout: { allBoxesIoU07: share(t, t.registered), target: 99.5, notAligned: share(t, t.notAligned), scaledWithoutRegistration: share(t, t.scaledOnly) },
  withoutLayout: {
    allBoxesIoU07: share(t, t.detected),
    target: 95,
    eitherReadingDirection: share(t, t.detectedEitherWay),
    meanConfidenceRight: round((100 * t.detectedConfidence) / Math.max(1, t.detected)) / 100,
    meanConfidenceWrong: round((100 * t.missedConfidence) / Math.max(1, t.frames - t.detected)) / 100,
  },
  qualityFlags: t.qualityFlags,
});

const crops = (jpeg: Buffer, meter: Awaited<ReturnType<typeof composeMeter>>) => processFrame(jpeg, meter.layout);
const detect = (jpeg: Buffer) => detectCounter(jpeg);
const result = {
  composed: true,
  ...report(level),
  /** Counters turned -180..180°, tilted up to 10 %, half of them white on black: layouts with a windowQuad. */
  turned: report(turned),
  jpegToCropsMs: { '640x480': await times(640, 480, crops), '1600x1200': await times(1600, 1200, crops) },
  detectMs: { '640x480': await times(640, 480, detect), '1600x1200': await times(1600, 1200, detect) },
  threads: { libvips: sharp.concurrency(), opencv: 'wasm, single-threaded' },
};
console.log(JSON.stringify(result, null, 2));
