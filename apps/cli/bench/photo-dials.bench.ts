// pnpm bench:photo-dials [--model DIR]... [--crops FILE]
// The pointer dials of the real meter photos in @metertwin/sample-data (ESP32-CAM photos of two water
// meters whose dials no model was trained on), cropped as `read --meter` crops them, read by each
// pointer model given (default: the committed one) alone and by the pointer geometry (readNeedle).
// The labels hold the drums only, so this prints how often the readers agree (within ±0.2) and their
// confidences, not accuracy; `--crops FILE` writes the 32×32 crops (raw RGB, one after another, in
// the order printed) to look at.
import { writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPointerClassifier, readNeedle } from '@metertwin/recognizer';
import { loadMeterPhotos } from '@metertwin/sample-data';
import { ImageRejectedError, processFrame, type Crop } from '@metertwin/vision';
import { loadMeterFile } from '../src/meter-file.js';

const { values } = parseArgs({ options: { model: { type: 'string', multiple: true }, crops: { type: 'string' } } });
const modelDirs = values.model?.map((d) => path.resolve(d)) ?? [undefined];
const turnDistance = (a: number, b: number) => Math.min(Math.abs(a - b) % 10, 10 - (Math.abs(a - b) % 10));

const dials: { photo: string; index: number; crop: Crop }[] = [];
for (const photo of loadMeterPhotos()) {
  const bytes = readFileSync(photo.file);
  const reference = photo.markedOn === photo.file ? undefined : readFileSync(photo.markedOn);
  try {
    const meter = await loadMeterFile(photo.meterFile, bytes, { reference });
    const frame = await processFrame(bytes, meter.layout);
    frame.crops
      .filter((c) => c.kind === 'pointer')
      .forEach((crop, index) => dials.push({ photo: `${photo.setup}/${path.basename(photo.file)}`, index, crop }));
  } catch (error) {
    // A photo read cannot align to its marked one has no dials to read (read answers why).
    if (!(error instanceof ImageRejectedError)) throw error;
  }
}

const readings: { version: string; value: number; confidence: number }[][] = [];
for (const dir of modelDirs) {
  const model = await loadPointerClassifier(dir);
  const predictions = await model.classify(dials.map((d) => d.crop.image));
  readings.push(predictions.map((p) => ({ version: model.version, ...p })));
  model.dispose();
}
const geometry = dials.map((d) =>
  d.crop.image.channels === 3 ? readNeedle(Buffer.from(d.crop.image.data, 'base64'), d.crop.image.width, d.crop.image.height) : undefined,
);

dials.forEach((d, i) => {
  const models = readings.map((r) => `${r[i]!.value.toFixed(1)}@${r[i]!.confidence.toFixed(2)}`).join(' ');
  console.log(`${String(i).padStart(3)} ${d.photo} dial ${d.index}: models ${models} geometry ${geometry[i]?.value.toFixed(2) ?? '-'}`);
});
const withGeometry = geometry.filter((g) => g !== undefined).length;
for (const r of readings) {
  const agree = r.filter((p, i) => geometry[i] && turnDistance(p.value, geometry[i].value) <= 0.2 + 1e-9).length;
  const sure = r.filter((p) => p.confidence >= 0.9).length;
  const sureOff = r.filter((p, i) => p.confidence >= 0.9 && geometry[i] && turnDistance(p.value, geometry[i].value) > 0.5).length;
  console.log(
    JSON.stringify({
      model: r[0]?.version,
      dials: dials.length,
      geometryRead: withGeometry,
      withinGeometry02: agree,
      meanConfidence: Math.round((r.reduce((a, p) => a + p.confidence, 0) / Math.max(1, r.length)) * 1000) / 1000,
      atConfidence09: sure,
      atConfidence09OffGeometry05: sureOff,
    }),
  );
}
if (values.crops) {
  await writeFile(values.crops, Buffer.concat(dials.map((d) => Buffer.from(d.crop.image.data, 'base64'))));
  console.log(`wrote ${dials.length} crops (${dials[0]?.crop.image.width}×${dials[0]?.crop.image.height} RGB) to ${values.crops}`);
}
