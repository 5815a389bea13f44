import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isImageFile } from './image.js';
import { decodeImageBytes, DIGIT_INPUT, type InputShape, inputValues } from './input.js';

/** Bytes of one decoded digit sample: 20x32 RGB uint8. */
export const SAMPLE_BYTES = inputValues(DIGIT_INPUT);

export type Split = 'train' | 'val';

export interface DigitSample {
  /** Path relative to the dataset folder, '/'-separated. */
  relpath: string;
  /** Label in tenths of a step, 0.0–9.9 (from the file name's first token). */
  value: number;
  /** Class index of the 100-class tenths head: round(value * 10). */
  cls: number;
  /** Installation (or pointer) the crop comes from; splits never cut through a meter. */
  meter: string;
  split: Split;
}

export interface DigitDataset {
  dir: string;
  /** Size every crop was resized to. */
  input: InputShape;
  samples: DigitSample[];
  /** samples.length * inputValues(input) bytes, sample i at i * inputValues(input). */
  pixels: Uint8Array;
  /** Files dropped because their content duplicates an earlier file. */
  duplicates: number;
  /** Files skipped because their name carries no valid label, with the reason. */
  skipped: Array<{ relpath: string; reason: string }>;
}

/** Repository root (…/packages/recognizer/src|dist → …). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Default training data: ../shared/data/meter-digits relative to the repository root. */
export const DEFAULT_DIGIT_DATA = path.resolve(REPO_ROOT, '../shared/data/meter-digits');
/** Default pointer data: ../shared/data/needles (one water meter's four pointers). */
export const DEFAULT_POINTER_DATA = path.resolve(REPO_ROOT, '../shared/data/needles');

/**
 * The label in a file name: the number its name starts with, in tenths of a step, truncated to one
 * decimal. `3.4_x.jpg` → 3.4, `3_x.jpg` → 3.0, `0.7000000000000001_x.jpg` → 0.7, `7.88_x.jpg` → 7.8,
 * `0-1.jpg` → 0.0 (names seen in the data set). Undefined unless it is in [0, 10).
 */
export function labelFromName(name: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)/.exec(path.basename(name));
  if (!match) return undefined;
  const value = Math.floor(Number(match[1]) * 10 + 1e-6) / 10;
  return Number.isFinite(value) && value >= 0 && value < 10 ? value : undefined;
}

export const valueToClass = (value: number): number => Math.round(value * 10) % 100;

interface ManifestRow {
  meter: string;
  split: Split | undefined;
  value: number | undefined;
}

async function readManifest(dir: string): Promise<Map<string, ManifestRow> | undefined> {
  const file = path.join(dir, 'manifest.csv');
  if (!existsSync(file)) return undefined;
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no '${name}' column`);
    return i;
  };
  // The digit manifest names the meter `meter_group`, the needle manifest names the `pointer`;
  // a manifest without `split` leaves the split to the scan options.
  const rel = col('relpath');
  const meter = header.includes('meter_group') ? col('meter_group') : col('pointer');
  const split = header.indexOf('split');
  const valueCol = header.indexOf('value');
  const rows = new Map<string, ManifestRow>();
  for (const line of lines) {
    // Plain CSV without quoting (the manifests have no commas inside fields).
    const f = line.split(',');
    const s = split >= 0 ? f[split] : undefined;
    if (s !== undefined && s !== 'train' && s !== 'val') throw new Error(`${file}: bad split '${s}' in: ${line}`);
    const value = valueCol >= 0 ? Number(f[valueCol]) : NaN;
    rows.set(f[rel]!, { meter: f[meter]!, split: s, value: value >= 0 && value < 10 ? value : undefined });
  }
  return rows;
}

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(dir, rel)));
    else if (entry.isFile() && isImageFile(entry.name)) out.push(rel);
  }
  return out;
}

/** Deterministic split of a meter without a manifest: ~valFraction of meters go to val. */
function hashSplit(meter: string, valFraction: number): Split {
  const h = createHash('sha1').update(meter).digest().readUInt32BE(0) / 2 ** 32;
  return h < valFraction ? 'val' : 'train';
}

export interface ScanOptions {
  /** Without a split in a manifest: the share of meters (by name hash) that go to val. Default 0.15. */
  valFraction?: number;
  /** Without a split in a manifest: exactly these meters go to val (instead of the hash). */
  valMeters?: readonly string[];
}

/**
 * List the labeled crops of a folder. With `manifest.csv`: its meter_group (or pointer) and split
 * (files not in the manifest are skipped). Without: meter = the file's folder. Without a split
 * column: `valMeters` go to val, else a hash of the meter name decides.
 */
export async function scanDigitFolder(dir: string, options: ScanOptions = {}): Promise<{ samples: DigitSample[]; skipped: DigitDataset['skipped'] }> {
  if (!existsSync(dir)) throw new Error(`digit data folder not found: ${dir}`);
  const manifest = await readManifest(dir);
  const files = (await walk(dir)).sort();
  const samples: DigitSample[] = [];
  const skipped: DigitDataset['skipped'] = [];
  const metersWithoutManifest = new Set<string>();
  for (const relpath of files) {
    // The manifest's value (curated from the same names) wins when present.
    let value = labelFromName(relpath);
    let meter = path.posix.dirname(relpath);
    let split: Split | undefined;
    if (manifest) {
      const row = manifest.get(relpath);
      if (!row) {
        skipped.push({ relpath, reason: 'not in manifest.csv' });
        continue;
      }
      ({ meter, split } = row);
      value = row.value ?? value;
    }
    if (value === undefined) {
      skipped.push({ relpath, reason: 'no label in file name' });
      continue;
    }
    if (split === undefined) {
      if (options.valMeters) split = options.valMeters.includes(meter) ? 'val' : 'train';
      else {
        split = hashSplit(meter, options.valFraction ?? 0.15);
        metersWithoutManifest.add(meter);
      }
    }
    samples.push({ relpath, value, cls: valueToClass(value), meter, split });
  }
  // With a hash split, make sure both splits have a meter when there are at least two.
  if (metersWithoutManifest.size >= 2) {
    const splits = new Set(samples.map((s) => s.split));
    if (splits.size === 1) {
      const [first] = [...metersWithoutManifest].sort();
      const to: Split = splits.has('train') ? 'val' : 'train';
      for (const s of samples) if (s.meter === first) s.split = to;
    }
  }
  return { samples, skipped };
}

export interface LoadOptions extends ScanOptions {
  /** Size to resize every crop to (default DIGIT_INPUT). */
  input?: InputShape;
  /** Content hashes already loaded (from other folders): their files count as duplicates. Updated. */
  seen?: Set<string>;
  /** Keep only these samples (applied before loading pixels). */
  filter?: (sample: DigitSample) => boolean;
  /** Cache decoded pixels in the OS temp folder (default true). */
  cache?: boolean;
  /** Progress callback while decoding. */
  onProgress?: (done: number, total: number) => void;
}

const CACHE_VERSION = 2;

/**
 * Scan, read, de-duplicate by content hash (md5 of the file bytes: the first file in path order
 * wins) and decode every crop to `input` (default 20x32) RGB. Decoded pixels are cached per file list.
 */
export async function loadDigitDataset(dir: string, options: LoadOptions = {}): Promise<DigitDataset> {
  dir = path.resolve(dir);
  const input = options.input ?? DIGIT_INPUT;
  const sampleBytes = inputValues(input);
  const scanned = await scanDigitFolder(dir, options);
  const wanted = options.filter ? scanned.samples.filter(options.filter) : scanned.samples;
  // Cross-folder de-duplication needs every file's hash, so the cache is bypassed then.
  const useCache = options.cache !== false && options.seen === undefined;

  const key = createHash('sha1')
    .update(JSON.stringify([CACHE_VERSION, dir, input, wanted.map((s) => [s.relpath, s.meter, s.split, s.value])]))
    .update(String((await stat(dir)).mtimeMs))
    .digest('hex')
    .slice(0, 16);
  const cacheFile = path.join(tmpdir(), 'metertwin-recognizer-cache', `digits-${key}.bin`);
  if (useCache && existsSync(cacheFile)) {
    const buf = await readFile(cacheFile);
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString('utf8')) as {
      keep: number[];
      duplicates: number;
    };
    const pixels = new Uint8Array(buf.subarray(4 + headerLength));
    if (pixels.length === header.keep.length * sampleBytes) {
      return { dir, input, samples: header.keep.map((i) => wanted[i]!), pixels, duplicates: header.duplicates, skipped: scanned.skipped };
    }
  }

  const seen = options.seen ?? new Set<string>();
  const keep: number[] = [];
  const decoded: Uint8Array[] = [];
  let duplicates = 0;
  const batch = 32;
  for (let start = 0; start < wanted.length; start += batch) {
    const chunk = wanted.slice(start, start + batch);
    const bytes = await Promise.all(chunk.map((s) => readFile(path.join(dir, s.relpath))));
    const fresh: number[] = [];
    bytes.forEach((b, k) => {
      const md5 = createHash('md5').update(b).digest('hex');
      if (seen.has(md5)) duplicates++;
      else {
        seen.add(md5);
        fresh.push(k);
      }
    });
    const rgbs = await Promise.all(
      fresh.map((k) =>
        decodeImageBytes(bytes[k]!, input).catch((error: unknown) => {
          throw new Error(`${wanted[start + k]!.relpath}: ${error instanceof Error ? error.message : String(error)}`);
        }),
      ),
    );
    fresh.forEach((k, j) => {
      keep.push(start + k);
      decoded.push(rgbs[j]!);
    });
    options.onProgress?.(Math.min(start + batch, wanted.length), wanted.length);
  }
  const pixels = new Uint8Array(decoded.length * sampleBytes);
  decoded.forEach((rgb, i) => pixels.set(rgb, i * sampleBytes));
  if (useCache) {
    const header = Buffer.from(JSON.stringify({ keep, duplicates }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, Buffer.concat([length, header, pixels]));
  }
  return { dir, input, samples: keep.map((i) => wanted[i]!), pixels, duplicates, skipped: scanned.skipped };
}

/**
 * Load several folders into one dataset (e.g. the shared data plus an export of operator-labeled
 * crops), de-duplicated by content across folders (earlier folders win). Meter names of later
 * folders are prefixed with the folder name so meters of different sources never merge.
 */
export async function loadDatasets(dirs: readonly string[], options: LoadOptions = {}): Promise<DigitDataset> {
  if (dirs.length === 0) throw new Error('no data folder given');
  if (dirs.length === 1) return loadDigitDataset(dirs[0]!, options);
  const seen = new Set<string>();
  const parts: DigitDataset[] = [];
  for (const dir of dirs) parts.push(await loadDigitDataset(dir, { ...options, seen }));
  const input = parts[0]!.input;
  const pixels = new Uint8Array(parts.reduce((n, p) => n + p.pixels.length, 0));
  let offset = 0;
  for (const p of parts) {
    pixels.set(p.pixels, offset);
    offset += p.pixels.length;
  }
  return {
    dir: parts.map((p) => p.dir).join(path.delimiter),
    input,
    samples: parts.flatMap((p, k) =>
      p.samples.map((s) => (k === 0 ? s : { ...s, relpath: `${path.basename(p.dir)}/${s.relpath}`, meter: `${path.basename(p.dir)}:${s.meter}` })),
    ),
    pixels,
    duplicates: parts.reduce((n, p) => n + p.duplicates, 0),
    skipped: parts.flatMap((p) => p.skipped),
  };
}

/** Indices of the samples of one split. */
export function splitIndices(dataset: DigitDataset, split: Split): number[] {
  const out: number[] = [];
  dataset.samples.forEach((s, i) => {
    if (s.split === split) out.push(i);
  });
  return out;
}

/** Samples per meter and split, for reports. */
export function describeDataset(dataset: DigitDataset): Record<Split, { samples: number; meters: number }> {
  const out = { train: { samples: 0, meters: 0 }, val: { samples: 0, meters: 0 } };
  const meters = { train: new Set<string>(), val: new Set<string>() };
  for (const s of dataset.samples) {
    out[s.split].samples++;
    meters[s.split].add(s.meter);
  }
  out.train.meters = meters.train.size;
  out.val.meters = meters.val.size;
  return out;
}
