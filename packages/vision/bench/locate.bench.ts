// pnpm bench:vision [--count 500] [--seed 1]
// Over composed frames with every camera effect and per-frame shake the layout does not know about:
// the share of frames whose every digit box overlaps the true box with IoU ≥ 0.7, with the meter's
// layout and without one (counter detection); and the time from JPEG bytes to crops.
import { parseArgs } from 'node:util';
import type { Box } from '@metertwin/contracts';
import { composeMeter, cropDigits, detectCounter, iou, scaleLayout } from '../src/index.js';
import { createRng, uniform } from '../src/random.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '500' }, seed: { type: 'string', default: '1' } } });
const count = Number(values.count);
const rng = createRng(Number(values.seed));

const allMatch = (found: Box[] | undefined, truth: Box[]) =>
  !!found && found.length === truth.length && found.every((box, i) => iou(box, truth[i]!) >= 0.7);

let withLayout = 0;
let detected = 0;
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
  if (allMatch(scaleLayout(meter.layout, frame).digits, meter.truth.digits)) withLayout++;
  if (allMatch((await detectCounter(meter.jpeg))?.digits, meter.truth.digits)) detected++;
  if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${count} frames\n`);
}

async function cropTimes(width: number, height: number): Promise<{ median: number; p95: number }> {
  const meter = await composeMeter({ value: 1234.567, seed: 7, width, height });
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    await cropDigits(meter.jpeg, meter.layout);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: round(times[Math.floor(times.length / 2)]!), p95: round(times[Math.floor(times.length * 0.95)]!) };
}
const round = (ms: number) => Math.round(ms * 10) / 10;

const result = {
  frames: count,
  withLayout: { allBoxesIoU07: round((100 * withLayout) / count), target: 99.5 },
  withoutLayout: { allBoxesIoU07: round((100 * detected) / count), target: 95 },
  jpegToCropsMs: { '640x480': await cropTimes(640, 480), '1600x1200': await cropTimes(1600, 1200) },
};
console.log(JSON.stringify(result, null, 2));
