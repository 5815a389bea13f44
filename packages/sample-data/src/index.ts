import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Package root (works from both `src/` and `dist/`). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folder with one sub-folder per meter of real rolling-drum digit crops (`<value>_….jpg`). */
export const digitsDir = path.join(ROOT, 'digits');
/** Folder with real red pointer-dial crops (`<value>_….jpg`). */
export const needlesDir = path.join(ROOT, 'needles');
/** Real full photos of meters, one folder per source, each with its licence and `labels.csv`. */
export const photosDir = path.join(ROOT, 'photos');
/** CSV listing every shipped file with its label, meter and source path in the original data set. */
export const manifestPath = path.join(ROOT, 'manifest.csv');

export interface LabeledCrop {
  /** Absolute path of the image file. */
  file: string;
  /** Label in tenths of a step, 0.0–9.9: `3.4` = drum shows 3, turned 0.4 of the way to 4. */
  value: number;
  /** Which installation the crop comes from (crops of one meter share a look). */
  meter: string;
}

const IMAGE = /\.(jpe?g|png|bmp)$/i;

/**
 * The label carried by a crop's file name: its first `_`-separated token (`3.4_dig7_….jpg` → 3.4).
 * Returns undefined when the name does not start with a value in 0.0–9.9.
 */
export function labelFromFileName(name: string): number | undefined {
  const token = path.basename(name).split('_')[0] ?? '';
  if (!/^\d(\.\d)?$/.test(token)) return undefined;
  return Number(token);
}

function scan(dir: string, meter: (file: string) => string): LabeledCrop[] {
  const crops: LabeledCrop[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!IMAGE.test(name)) continue;
    const value = labelFromFileName(name);
    if (value === undefined) continue;
    const file = path.join(dir, name);
    crops.push({ file, value, meter: meter(name) });
  }
  return crops;
}

let digitCache: LabeledCrop[] | undefined;
let needleCache: LabeledCrop[] | undefined;

/** All shipped digit crops, sorted by meter then file name. */
export function loadDigitCrops(): LabeledCrop[] {
  digitCache ??= readdirSync(digitsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((meter) => scan(path.join(digitsDir, meter), () => meter));
  return digitCache;
}

/** All shipped pointer crops (one water meter's four red sub-unit dials). */
export function loadPointerCrops(): LabeledCrop[] {
  needleCache ??= scan(needlesDir, (name) => `needle-${/zeiger\w+/.exec(name)?.[0] ?? 'unknown'}`);
  return needleCache;
}

/** Meter ids of the digit crops. */
export function digitMeters(): string[] {
  return [...new Set(loadDigitCrops().map((c) => c.meter))];
}

/** A real photo of a whole meter (not composed), labelled by eye. */
export interface MeterPhoto {
  /** Absolute path of the photo. */
  file: string;
  /** `<source>/<setup>`: photos of one camera mounting, read with one meter file. */
  setup: string;
  /** The setup's meter file (`read --meter`): its quad and dials are pixels of `markedOn`. */
  meterFile: string;
  /** The photo the meter file was marked on (`read --reference` for the setup's other photos). */
  markedOn: string;
  /** What the drums show by eye (`00417`, `06376.341` with decimal drums); two when a drum stands half-way and the dials cannot settle which. */
  counter: string[];
  note: string;
}

let photoCache: MeterPhoto[] | undefined;

/**
 * Every shipped meter photo, from each source's `labels.csv`
 * (`photo,counter,marked,source,note`; `photo` is `<setup>/<file>`, `marked` is "yes" on the
 * photo the setup's `meter.json` was marked on).
 */
export function loadMeterPhotos(): MeterPhoto[] {
  photoCache ??= readdirSync(photosDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((source) => sourcePhotos(path.join(photosDir, source), source));
  return photoCache;
}

function sourcePhotos(dir: string, source: string): MeterPhoto[] {
  const rows = readFileSync(path.join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  const parsed = rows.map((row) => {
    const [photo = '', counter = '', marked = '', , ...note] = row.split(',');
    return { photo, setup: path.dirname(photo), counter: counter.split('|'), marked: marked === 'yes', note: note.join(',') };
  });
  return parsed.map((p) => {
    const marked = parsed.filter((q) => q.setup === p.setup && q.marked);
    if (marked.length !== 1) throw new Error(`${source}/labels.csv: setup ${p.setup} needs exactly one photo marked "yes"`);
    return {
      file: path.join(dir, p.photo),
      setup: `${source}/${p.setup}`,
      meterFile: path.join(dir, p.setup, 'meter.json'),
      markedOn: path.join(dir, marked[0]!.photo),
      counter: p.counter,
      note: p.note,
    };
  });
}
