import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { loadDatasets } from '@metertwin/recognizer';
import { trainDigits } from '@metertwin/training';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTrainingSamples } from '../src/commands/export-training.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../packages/recognizer/test/fixtures/digits');

describe('export-training (relabel loop)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let outDir: string;
  let storage: DiskStorage;
  let meterId: string;
  let orgId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'metertwin-export-storage-'));
    outDir = await mkdtemp(path.join(tmpdir(), 'metertwin-export-out-'));
    storage = new DiskStorage(storageDir);
    const org = await prisma.organization.create({ data: { name: 'Org', slug: `org-${Date.now()}` } });
    orgId = org.id;
    meterId = (await prisma.meter.create({ data: { orgId, name: 'Cellar', digits: 5 } })).id;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
    await rm(storageDir, { recursive: true, force: true });
    await rm(outDir, { recursive: true, force: true });
  });

  /** Store a crop and record it as a TrainingSample, as the readings service does on a correction. */
  async function addSample(file: string, label: number, extra: { kind?: string; sha256?: string; store?: boolean; createdBy?: string } = {}) {
    const bytes = await readFile(path.join(FIXTURES, file));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const storageKey = `training/${meterId}/${sha256}${path.extname(file)}`;
    if (extra.store !== false) await storage.put(storageKey, bytes);
    return prisma.trainingSample.create({
      data: {
        orgId,
        meterId,
        kind: extra.kind ?? 'digit',
        index: 2,
        label,
        storageKey,
        sha256: extra.sha256 ?? sha256,
        source: 'operator_correction',
        createdBy: extra.createdBy ?? 'op@example.com',
      },
    });
  }

  it('writes labeled crops with provenance, skips what it cannot trust, and training reads the folder', async () => {
    const files = (await readdir(FIXTURES)).filter((f) => /\.(jpg|png|bmp)$/.test(f)).sort();
    const a = await addSample(files[0]!, 3.4, { createdBy: 'Jane, operator' });
    await addSample(files[1]!, 7);
    await addSample(files[2]!, 9.9);
    await addSample(files[3]!, 1.2, { store: false }); // crop lost from storage
    await addSample(files[4]!, 5.5, { sha256: 'f'.repeat(64) }); // corrupt: content differs from the recorded hash
    await addSample(files[5]!, 2.0, { kind: 'pointer' }); // other kind

    const first = await exportTrainingSamples({ prisma, storage, outDir, kind: 'digits' });
    expect(first).toMatchObject({ exported: 3, written: 3, duplicates: 0, removed: 0 });
    expect(first.skipped.map((s) => s.reason)).toEqual([
      expect.stringContaining('crop not in storage'),
      expect.stringContaining('does not match its sha256'),
    ]);
    const manifest = (await readFile(path.join(outDir, 'manifest.csv'), 'utf8')).trim().split('\n');
    expect(manifest).toHaveLength(4);
    const header = manifest[0]!.split(',');
    const rowA = manifest.find((l) => l.includes(a.id))!.split(',');
    const col = (name: string) => rowA[header.indexOf(name)];
    expect(col('value')).toBe('3.4');
    expect(col('meter_group')).toBe(meterId);
    expect(col('split')).toBe('train');
    expect(col('source')).toBe('operator_correction');
    expect(col('created_by')).toBe('Jane  operator');
    expect(col('relpath')).toMatch(/^3\.4_[0-9a-f]{16}\.(jpg|png|bmp)$/);
    // The exported bytes are the stored crop.
    expect(createHash('sha256').update(await readFile(path.join(outDir, col('relpath')!))).digest('hex')).toBe(a.sha256);

    // The next training run reads the export next to another folder (here: one crop that is also
    // in the export, which is then dropped once as a duplicate).
    const base = path.join(outDir, '..', `${path.basename(outDir)}-base`);
    await mkdir(base, { recursive: true });
    await copyFile(path.join(FIXTURES, files[0]!), path.join(base, files[0]!));
    const dataset = await loadDatasets([base, outDir]);
    await rm(base, { recursive: true, force: true });
    const exported = dataset.samples.filter((s) => s.meter.endsWith(meterId));
    expect(exported.map((s) => s.value).sort()).toEqual([7, 9.9]);
    expect(dataset.duplicates).toBe(1);
    const exportOnly = await loadDatasets([outDir]);
    expect(exportOnly.samples.map((s) => [s.value, s.split]).sort()).toEqual([[3.4, 'train'], [7, 'train'], [9.9, 'train']]);
    const { losses, model } = await trainDigits({ dataset: exportOnly, epochs: 1, stepsPerEpoch: 2, batchSize: 8, validate: false, junkShare: 0, syntheticShare: 0, calibrationMeters: [] });
    expect(losses).toHaveLength(2);
    model.dispose();

    // An operator corrects the label again: the re-export renames the file and drops the stale one.
    await prisma.trainingSample.update({ where: { id: a.id }, data: { label: 3.5 } });
    const second = await exportTrainingSamples({ prisma, storage, outDir, kind: 'digits' });
    expect(second).toMatchObject({ exported: 3, written: 1, removed: 1 });
    const names = (await readdir(outDir)).filter((f) => f !== 'manifest.csv').sort();
    expect(names.filter((n) => n.startsWith('3.'))).toEqual([expect.stringMatching(/^3\.5_/)]);

    const pointers = await exportTrainingSamples({ prisma, storage, outDir: path.join(outDir, 'pointers'), kind: 'pointers' });
    expect(pointers).toMatchObject({ exported: 1, written: 1 });
  });
});
