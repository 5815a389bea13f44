import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { expect } from 'vitest';
import { QueueName } from '@metertwin/contracts';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { startIngest } from '@metertwin/ingest';
import { QueueService } from '@metertwin/service-kit';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, serviceTestEnv, waitFor } from '@metertwin/testing';

export const DAY = 24 * 3_600_000;

/** ingest alone over a fresh database and disk storage, its daily retention run started by hand. */
export interface RetentionHarness {
  prisma: PrismaClient;
  storage: DiskStorage;
  ingest: INestApplication;
  /** Whether the photo file `storageKey` is still in storage. */
  stored(storageKey: string): boolean;
  /** One retention run as of `at`, waited for; fails the test unless it completed. */
  runRetention(at: Date): Promise<void>;
  stop(): Promise<void>;
}

export async function startRetentionHarness(): Promise<RetentionHarness> {
  const db = await createTestDatabase();
  const prisma = createPrismaClient(db.url);
  const storageDir = await mkdtemp(join(tmpdir(), 'metertwin-retention-'));
  const cleanUp = async () => {
    await prisma.$disconnect();
    await db.drop();
    await rm(storageDir, { recursive: true, force: true });
  };
  const ingest = await startIngest(serviceTestEnv(db.url, storageDir, { RETENTION_EVERY_MS: String(DAY) }), {
    handleSignals: false,
  }).catch(async (error: unknown) => {
    await cleanUp();
    throw error;
  });
  return {
    prisma,
    storage: new DiskStorage(storageDir),
    ingest,
    stored: (storageKey) => existsSync(join(storageDir, storageKey)),
    async runRetention(at) {
      const queue = ingest.get(QueueService).get(QueueName.PhotoRetention);
      const job = await queue.add(
        QueueName.PhotoRetention,
        { v: 1, at: at.toISOString() },
        { jobId: `retention-${randomUUID()}` },
      );
      await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), {
        what: 'the retention run',
      });
      expect(await job.getState(), (await queue.getJob(job.id!))?.failedReason).toBe('completed');
    },
    async stop() {
      await ingest.close();
      await cleanUp();
    },
  };
}
