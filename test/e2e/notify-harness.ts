import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { expect } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { createApiKey, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { startNotify, type NotifyStartOptions } from '@metertwin/notify';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, serviceTestEnv, TEST_ADMIN_TOKEN, waitFor } from '@metertwin/testing';

export const ADMIN_TOKEN = TEST_ADMIN_TOKEN;

/** notify alone (no ingest, preprocess or recognize) against a fresh database and its own queues. */
export interface NotifyHarness {
  prisma: PrismaClient;
  env: Record<string, string>;
  app: INestApplication;
  url: string;
  queues: QueueService;
  /** fetch against notify's HTTP API with a read+write API key of `orgId`; JSON in and out. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert the answers field by field
  api(orgId: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNotifyHarness(overrides: Record<string, string> = {}, options: NotifyStartOptions = {}): Promise<NotifyHarness> {
  const db = await createTestDatabase();
  const env = serviceTestEnv(db.url, '/tmp', overrides);
  const start = () => startNotify(env, { handleSignals: false, ...options });
  const prisma = createPrismaClient(db.url);
  const keys = new Map<string, string>();
  const harness: NotifyHarness = {
    prisma,
    env,
    app: await start(),
    url: '',
    queues: undefined as unknown as QueueService,
    async api(orgId, method, path, body) {
      let key = keys.get(orgId);
      if (!key) {
        key = (await createApiKey(prisma, { orgId, name: 'test', scopes: ['read', 'write'] })).token;
        keys.set(orgId, key);
      }
      const res = await fetch(`${harness.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async restart() {
      await harness.app.close();
      harness.app = await start();
      harness.url = await serviceUrl(harness.app);
      harness.queues = harness.app.get(QueueService);
    },
    async stop() {
      await harness.app.close();
      await prisma.$disconnect();
      await db.drop();
    },
  };
  harness.url = await serviceUrl(harness.app);
  harness.queues = harness.app.get(QueueService);
  return harness;
}

export async function createOrgAndMeter(prisma: PrismaClient, slug: string, meter: { group?: string; timeZone?: string } = {}) {
  const org = await prisma.organization.create({ data: { name: slug, slug } });
  const created = await prisma.meter.create({
    data: { orgId: org.id, name: `${slug} meter`, digits: 8, decimals: 3, timeZone: meter.timeZone ?? 'UTC', group: meter.group ?? null },
  });
  return { orgId: org.id, meter: created };
}

/** Stores accepted readings as recognize would (capture and reading rows), oldest first. */
export async function insertReadings(prisma: PrismaClient, meterId: string, readings: readonly { takenAt: Date; value: number }[]) {
  const rows = readings.map(({ takenAt, value }) => ({ id: randomUUID(), captureId: randomUUID(), takenAt, value }));
  await prisma.capture.createMany({
    data: rows.map((r) => ({
      id: r.captureId,
      meterId,
      sha256: randomUUID(),
      storageKey: `test/${r.captureId}.jpg`,
      contentType: 'image/jpeg',
      bytes: 1,
      source: 'upload' as const,
      takenAt: r.takenAt,
      status: 'recognized' as const,
    })),
  });
  await prisma.reading.createMany({
    data: rows.map((r) => ({
      id: r.id,
      meterId,
      captureId: r.captureId,
      value: r.value.toFixed(3).padStart(9, '0'),
      numeric: r.value,
      digits: [],
      confidence: 0.99,
      status: 'accepted' as const,
      modelVersion: 'test',
      takenAt: r.takenAt,
    })),
  });
  return rows;
}

/** Enqueues a notify job per reading, all at once, and waits until the queue has drained without failures. */
export async function notifyReadings(harness: Pick<NotifyHarness, 'queues'>, meterId: string, rows: readonly { id: string; captureId: string }[]) {
  const before = (await harness.queues.counts(QueueName.Notify)).completed ?? 0;
  await Promise.all(
    rows.map((r) => harness.queues.add(QueueName.Notify, { v: 1, readingId: r.id, meterId, captureId: r.captureId }, { jobId: jobId.notify(r.id) })),
  );
  await waitFor(
    async () => {
      const counts = await harness.queues.counts(QueueName.Notify);
      expect(counts.failed).toBe(0);
      return counts.completed === before + rows.length && (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0;
    },
    { what: `notify to process ${rows.length} jobs`, timeoutMs: 30_000 },
  );
}
