import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createStorage, type ImageStorage, ImageNotFoundError, StorageEnvSchema } from '@metertwin/storage';
import { z } from 'zod';
import type { Command } from '../command.js';
import { findTrainingSamplesOfKind } from '../training-sample.repository.js';

const usage = 'usage: metertwin export-training --out DIR [--kind digits|pointers]   (DATABASE_URL, STORAGE_DIR or S3_* from the environment)';

/** TrainingSample.kind values per recognizer. */
const DB_KIND = { digits: 'digit', pointers: 'pointer' } as const;

export interface ExportResult {
  /** Samples in the manifest (one per distinct crop content). */
  exported: number;
  /** Image files newly written (the others were already there from an earlier export). */
  written: number;
  /** Rows whose crop has the same content as an earlier row (first one kept). */
  duplicates: number;
  /** Old export files no longer in the manifest (e.g. relabeled), removed. */
  removed: number;
  skipped: Array<{ id: string; reason: string }>;
}

const EXPORT_FILE = /^\d\.\d_[0-9a-f]{16}\.(png|jpg|bmp)$/;

function imageExtension(bytes: Buffer): 'png' | 'jpg' | 'bmp' | undefined {
  if (bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpg';
  if (bytes.length > 2 && bytes.toString('latin1', 0, 2) === 'BM') return 'bmp';
  return undefined;
}

/** The manifest is plain CSV without quoting (what the recognizer's loader reads): no commas or newlines in fields. */
const field = (v: string | number | null | undefined) => String(v ?? '').replace(/[,\r\n]/g, ' ');

/**
 * Write the TrainingSample rows of one kind (operator corrections and confirmations) as labeled
 * crops `3.4_<sha256 prefix>.<ext>` plus `manifest.csv` with their provenance, all in split
 * `train` with the meter id as meter group, so `train --data <shared> --data DIR` uses them.
 * Crops are checked against their recorded sha256 and de-duplicated by content; a missing or
 * corrupt crop is reported and skipped, never aborts the export. Re-running updates the folder.
 */
export async function exportTrainingSamples(options: {
  prisma: PrismaClient;
  storage: ImageStorage;
  outDir: string;
  kind: keyof typeof DB_KIND;
}): Promise<ExportResult> {
  const rows = await findTrainingSamplesOfKind(options.prisma, DB_KIND[options.kind]);
  await mkdir(options.outDir, { recursive: true });
  const result: ExportResult = { exported: 0, written: 0, duplicates: 0, removed: 0, skipped: [] };
  const seen = new Set<string>();
  const lines = ['relpath,value,digit,meter_group,split,kind,index,source,created_by,created_at,reading_id,capture_id,training_sample_id,org_id,sha256'];
  const files = new Set<string>();
  for (const row of rows) {
    const label = Math.floor(row.label * 10 + 1e-6) / 10;
    if (!(label >= 0 && label < 10)) {
      result.skipped.push({ id: row.id, reason: `label ${row.label} is not in [0, 10)` });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await options.storage.get(row.storageKey);
    } catch (error) {
      if (!(error instanceof ImageNotFoundError)) throw error;
      result.skipped.push({ id: row.id, reason: `crop not in storage: ${row.storageKey}` });
      continue;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== row.sha256) {
      result.skipped.push({ id: row.id, reason: `crop content does not match its sha256 (${row.storageKey})` });
      continue;
    }
    if (seen.has(sha256)) {
      result.duplicates++;
      continue;
    }
    const ext = imageExtension(bytes);
    if (!ext) {
      result.skipped.push({ id: row.id, reason: `crop is not a PNG, JPEG or BMP image (${row.storageKey})` });
      continue;
    }
    seen.add(sha256);
    const name = `${label.toFixed(1)}_${sha256.slice(0, 16)}.${ext}`;
    files.add(name);
    if (!existsSync(path.join(options.outDir, name))) {
      await writeFile(path.join(options.outDir, name), bytes);
      result.written++;
    }
    lines.push(
      [
        name,
        label.toFixed(1),
        Math.floor(label),
        row.meterId,
        'train',
        row.kind,
        row.index,
        row.source,
        row.createdBy,
        row.createdAt.toISOString(),
        row.readingId,
        row.captureId,
        row.id,
        row.orgId,
        sha256,
      ]
        .map(field)
        .join(','),
    );
    result.exported++;
  }
  // Files of an earlier export that are no longer wanted (relabeled or deleted rows).
  for (const entry of await readdir(options.outDir)) {
    if (EXPORT_FILE.test(entry) && !files.has(entry)) {
      await unlink(path.join(options.outDir, entry));
      result.removed++;
    }
  }
  const manifest = path.join(options.outDir, 'manifest.csv');
  await writeFile(`${manifest}.tmp`, lines.join('\n') + '\n');
  await rename(`${manifest}.tmp`, manifest);
  return result;
}

const EnvSchema = StorageEnvSchema.extend({ DATABASE_URL: z.string().min(1) });

export const command: Command = {
  summary: 'export operator-labeled crops (TrainingSample rows) for training: export-training --out DIR [--kind digits|pointers]',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string' }, kind: { type: 'string', default: 'digits' } },
    });
    if (positionals.length > 0 || !values.out) throw new Error(usage);
    const kind = values.kind;
    if (kind !== 'digits' && kind !== 'pointers') throw new Error(`--kind must be digits or pointers, got '${kind}'`);
    const env = EnvSchema.safeParse(process.env);
    if (!env.success) throw new Error(`bad environment: ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const prisma = createPrismaClient(env.data.DATABASE_URL);
    try {
      const outDir = path.resolve(values.out);
      const result = await exportTrainingSamples({ prisma, storage: createStorage(env.data), outDir, kind });
      for (const s of result.skipped) process.stderr.write(`skipped ${s.id}: ${s.reason}\n`);
      process.stdout.write(JSON.stringify({ out: outDir, kind, ...result, skipped: result.skipped.length }) + '\n');
    } finally {
      await prisma.$disconnect();
    }
  },
};
