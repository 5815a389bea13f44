// pnpm bench:stages [--frames 60] [--seed 5]
// The CPU of preprocess's and recognize's image work per photo, in one process without the services
// around it (no Nest, Prisma, BullMQ): the composed photos of bench:pipeline's camera, each through
// `processFrame` (decode, registration, quality, crops) and the digit model's `classify` of its crops,
// timed as process CPU (user + system). Also splits preprocess into decode and registration, the
// parts issue 17 asked about. JSON at the end.
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadDigitClassifier } from '@metertwin/recognizer';
import { decodeFrame, processFrame, registerFrame } from '@metertwin/vision';
import { composeFleet } from './fleet.js';

const { values } = parseArgs({ options: { frames: { type: 'string', default: '60' }, seed: { type: 'string', default: '5' } } });
const frames = Number(values.frames);
const [meter] = await composeFleet(1, frames, Number(values.seed));
const { layout, frames: photos } = meter!;
const classifier = await loadDigitClassifier();

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** Runs `run` on every photo (by its index) once after a warm-up (opencv and the model load on first use). */
async function stage<T>(run: (i: number) => Promise<T>): Promise<{ msPerPhoto: number; results: T[] }> {
  await run(0);
  const start = cpu();
  const results: T[] = [];
  for (let i = 0; i < photos.length; i++) results.push(await run(i));
  return { msPerPhoto: Number(((cpu() - start) / photos.length).toFixed(2)), results };
}

const decode = await stage((i) => decodeFrame(photos[i]!.jpeg));
const register = await stage((i) => registerFrame(decode.results[i]!, layout));
const preprocess = await stage((i) => processFrame(photos[i]!.jpeg, layout));
const crops = preprocess.results.map((r) => r.crops.filter((c) => c.kind === 'digit').map((c) => c.image));
const recognize = await stage((i) => classifier.classify(crops[i]!));
const right = recognize.results.filter((digits, i) => digits.map((d) => d.digit).join('') === photos[i]!.display.replace('.', '')).length;
console.log(
  JSON.stringify(
    {
      photos: photos.length,
      frame: `${decode.results[0]!.width}×${decode.results[0]!.height}`,
      digitsPerPhoto: crops[0]!.length,
      libvipsThreads: sharp.concurrency(),
      cpuMsPerPhoto: { preprocess: preprocess.msPerPhoto, 'of which decode': decode.msPerPhoto, 'of which registration': register.msPerPhoto, recognize: recognize.msPerPhoto },
      allDigitsRight: `${right}/${photos.length}`,
    },
    null,
    1,
  ),
);
