import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Package root (works from both `src/` and `dist/`). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folder with one sub-folder per meter of real rolling-drum digit crops (`<value>_….jpg`). */
export const digitsDir = path.join(ROOT, 'digits');
/** Folder with real red pointer-dial crops (`<value>_….jpg`). */
export const needlesDir = path.join(ROOT, 'needles');
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
