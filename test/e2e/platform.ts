import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startIngest } from '@metertwin/ingest';
import { startNotify, type NotifyStartOptions } from '@metertwin/notify';
import { startPreprocess } from '@metertwin/preprocess';
import { startRecognize } from '@metertwin/recognize';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, serviceTestEnv, type TestDatabase } from '@metertwin/testing';

export interface Platform {
  prisma: PrismaClient;
  env: Record<string, string>;
  ingestUrl: string;
  apps: Record<'ingest' | 'preprocess' | 'recognize' | 'notify', INestApplication>;
  stop(): Promise<void>;
}

/**
 * The four services in this process, against a fresh database and their own queue prefix; `notify`
 * passes start options to notify (e.g. the agent its web pushes go through to a fake push service).
 */
export async function startPlatform(
  overrides: Record<string, string> = {},
  { notify = {} }: { notify?: Omit<NotifyStartOptions, 'handleSignals'> } = {},
): Promise<Platform> {
  const db: TestDatabase = await createTestDatabase();
  const storageDir = await mkdtemp(join(tmpdir(), 'metertwin-captures-'));
  const env = serviceTestEnv(db.url, storageDir, { SCHEDULE_SYNC_MS: '500', ...overrides });
  const options = { handleSignals: false };
  const apps = {
    ingest: await startIngest(env, options),
    preprocess: await startPreprocess(env, options),
    recognize: await startRecognize(env, options),
    notify: await startNotify(env, { ...notify, ...options }),
  };
  const prisma = createPrismaClient(db.url);
  return {
    prisma,
    env,
    apps,
    ingestUrl: await serviceUrl(apps.ingest),
    async stop() {
      await Promise.all(Object.values(apps).map((app) => app.close()));
      await prisma.$disconnect();
      await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
