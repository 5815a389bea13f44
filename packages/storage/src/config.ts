import { z } from 'zod';
import { DiskStorage } from './disk-storage.js';
import { S3Storage } from './s3-storage.js';
import type { ImageStorage } from './storage.js';

/** Storage keys of the environment; S3 is used when S3_BUCKET is set, the disk directory otherwise. */
export const StorageEnvSchema = z.object({
  STORAGE_DIR: z.string().min(1).default('./var/captures'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type StorageEnv = z.infer<typeof StorageEnvSchema>;

export function createStorage(env: StorageEnv): ImageStorage {
  if (env.S3_BUCKET) {
    return new S3Storage({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    });
  }
  return new DiskStorage(env.STORAGE_DIR);
}

/** Content-addressed key: the same image for the same meter always lands on the same key. */
export function captureKey(meterId: string, sha256: string, contentType: string): string {
  return `captures/${meterId}/${sha256.slice(0, 2)}/${sha256}.${contentType === 'image/png' ? 'png' : 'jpg'}`;
}
