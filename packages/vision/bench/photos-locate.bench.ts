// pnpm bench:locate-photos [--overlays DIR]
// Counter detection without a layout (`detectCounter`, what `locate`/`read` without --meter use) on
// the real photos of @metertwin/sample-data: is the window found on the counter? The truth is each
// camera setup's meter file (a quad marked on one photo), registered to the setup's other photos as
// `read --reference` does; where registration fails the marked quad stands as it is (a fixed camera).
// A detection is on the counter when its drum row's centre lies inside the true window and it overlaps
// it (IoU of the axis-aligned bounds ≥ 0.3); `drumsRight` counts those that also have the meter file's
// number of drums. --overlays writes each photo with the true window (green)
// and the detected quad (red) as PNG, to look at.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Box, Quad } from '@metertwin/contracts';
import { loadMeterPhotos } from '@metertwin/sample-data';
import { buildAlignment, decodeFrame, detectCounter, iou, locateFrame, quadLayout } from '../src/index.js';

const { values } = parseArgs({ options: { overlays: { type: 'string' } } });

const inside = ([x, y]: [number, number], quad: Quad) => {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = quad[i]!;
    const [bx, by] = quad[(i + 1) % 4]!;
    const s = Math.sign((bx - ax) * (y - ay) - (by - ay) * (x - ax));
    if (s !== 0 && sign !== 0 && s !== sign) return false;
    if (s !== 0) sign = s;
  }
  return true;
};
const centre = (q: Quad): [number, number] => [q.reduce((a, p) => a + p[0], 0) / 4, q.reduce((a, p) => a + p[1], 0) / 4];
const bounds = (q: Quad): Box => {
  const xs = q.map((p) => p[0]);
  const ys = q.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
};

const rows: { photo: string; truth: string; onCounter: boolean; iou: number; confidence?: number; rival?: number; drums?: number; trueDrums: number }[] = [];
for (const photo of loadMeterPhotos()) {
  const bytes = readFileSync(photo.file);
  const frame = await decodeFrame(bytes);
  const meter = JSON.parse(readFileSync(photo.meterFile, 'utf8')) as { windowQuad: Quad; drums: number };
  let truth = meter.windowQuad;
  let how = 'marked';
  if (photo.markedOn !== photo.file) {
    const reference = await decodeFrame(readFileSync(photo.markedOn));
    const layout = quadLayout(meter, reference);
    const located = await locateFrame(frame, { ...layout, alignment: await buildAlignment(reference, layout) });
    if (located.registration.status === 'aligned' && located.counter) {
      truth = located.counter.quad;
      how = 'registered';
    } else how = 'unregistered';
  }
  const found = await detectCounter(frame);
  const overlap = found ? iou(bounds(found.quad), bounds(truth)) : 0;
  const onCounter = !!found && inside(centre(found.quad), truth) && overlap >= 0.3;
  rows.push({ photo: `${photo.setup}/${path.basename(photo.file)}`, truth: how, onCounter, iou: Math.round(overlap * 100) / 100, confidence: found?.confidence, rival: found?.rival, drums: found?.digits.length, trueDrums: meter.drums });
  if (values.overlays) {
    await mkdir(values.overlays, { recursive: true });
    const poly = (q: Quad, colour: string) => `<polygon points="${q.map((p) => p.join(',')).join(' ')}" fill="none" stroke="${colour}" stroke-width="3"/>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}">${poly(truth, 'lime')}${found ? poly(found.quad, 'red') : ''}</svg>`;
    await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
      .composite([{ input: Buffer.from(svg) }])
      .png()
      .toFile(path.join(values.overlays, `${photo.setup.replaceAll('/', '_')}_${path.basename(photo.file, '.jpg')}.png`));
  }
}
for (const r of rows) process.stderr.write(`${r.onCounter ? 'COUNTER' : 'other  '} iou ${r.iou.toFixed(2)} conf ${r.confidence ?? '-'} rival ${r.rival ?? '-'} drums ${r.drums ?? '-'}/${r.trueDrums} (${r.truth}) ${r.photo}\n`);
console.log(
  JSON.stringify({
    photos: rows.length,
    windowFound: rows.filter((r) => r.drums !== undefined).length,
    onCounter: rows.filter((r) => r.onCounter).length,
    drumsRight: rows.filter((r) => r.onCounter && r.drums === r.trueDrums).length,
    truth: { marked: rows.filter((r) => r.truth === 'marked').length, registered: rows.filter((r) => r.truth === 'registered').length, unregistered: rows.filter((r) => r.truth === 'unregistered').length },
  }),
);
