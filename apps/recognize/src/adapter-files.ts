import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ADAPTER_FILES } from '@metertwin/recognizer';
import type { ImageStorage } from '@metertwin/storage';

/** Where an adapter's model files live in the storage: one folder per adapter row. */
export const adapterPrefix = (meterId: string, adapterId: string) => `adapters/${meterId}/${adapterId}`;

const contentType = (file: string) => (file.endsWith('.json') ? 'application/json' : 'application/octet-stream');

/** Copies a trained adapter's directory into the storage. */
export async function storeAdapterFiles(storage: ImageStorage, prefix: string, dir: string): Promise<void> {
  for (const file of ADAPTER_FILES) await storage.put(`${prefix}/${file}`, await readFile(path.join(dir, file)), contentType(file));
}

/** Copies an adapter's files from the storage into `dir`, ready for loadDigitClassifier. */
export async function fetchAdapterFiles(storage: ImageStorage, prefix: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of ADAPTER_FILES) await writeFile(path.join(dir, file), await storage.get(`${prefix}/${file}`));
}
