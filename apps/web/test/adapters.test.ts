import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '@metertwin/contracts';
import { createPrismaClient, recordAdapter, type PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '@metertwin/testing';
import { composeMeter } from '@metertwin/composer';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let REVIEW: typeof import('../src/app/api/readings/[id]/review/route').POST;
let RESTORE: typeof import('../src/app/api/meters/[id]/adapter/restore/route').POST;
let closeQueues: () => Promise<void>;
let db: TestDatabase;
let prisma: PrismaClient;
let storage: DiskStorage;
let storageDir: string;
let queue: Queue;
let orgId: string;
let operatorCookie: string;
let adminCookie: string;
let adminId: string;
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-adapters-'));
  const prefix = uniqueQueuePrefix();
  Object.assign(process.env, { DATABASE_URL: db.url, STORAGE_DIR: storageDir, REDIS_URL, QUEUE_PREFIX: prefix, ADAPT_MIN_NEW_LABELS: '20' });
  delete process.env.S3_BUCKET;
  ({ POST: REVIEW } = await import('../src/app/api/readings/[id]/review/route'));
  ({ POST: RESTORE } = await import('../src/app/api/meters/[id]/adapter/restore/route'));
  ({ closeQueues } = await import('../src/lib/queues'));
  prisma = createPrismaClient(db.url);
  storage = new DiskStorage(storageDir);
  queue = new Queue(QueueName.MeterAdapt, { connection: { url: REDIS_URL }, prefix });
  orgId = await createOrg(prisma);
  operatorCookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
  adminId = (await createUser(prisma, { orgId, role: 'admin' })).id;
  adminCookie = await sessionCookie(prisma, adminId);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient; __mtLivePublisher?: { quit(): Promise<unknown> } };
  await queue?.obliterate({ force: true });
  await queue?.close();
  await closeQueues?.();
  await g.__mtLivePublisher?.quit();
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

/** A reading waiting for review on a photo of its own (each review adds 8 new drum crops). */
async function pendingReading(meterId: string) {
  seq += 1;
  const composed = await composeMeter({ value: `0123${seq}.567`, digits: 5, decimals: 3, seed: 100 + seq, effects: 0.1 });
  const key = `captures/adapters-${seq}.jpg`;
  await storage.put(key, composed.jpeg);
  const capture = await prisma.capture.create({
    data: {
      meterId, sha256: `${seq}`.padStart(64, 'c'), storageKey: key, contentType: 'image/jpeg', bytes: composed.jpeg.byteLength,
      source: 'upload', takenAt: new Date(Date.UTC(2026, 2, 1, seq)), status: 'recognized', crops: { digits: composed.layout.digits },
    },
  });
  return prisma.reading.create({
    data: { meterId, captureId: capture.id, value: composed.truth.display, numeric: composed.truth.display, digits: [], confidence: 0.5, status: 'needs_review', modelVersion: 'test', takenAt: capture.takenAt },
  });
}

const confirm = async (readingId: string) => {
  const res = await REVIEW(apiRequest(`/api/readings/${readingId}/review`, { cookie: operatorCookie, method: 'POST', json: { action: 'confirm' } }), {
    params: Promise.resolve({ id: readingId }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { trainingSamples: number; historySamples: number; adapterRequested: boolean };
};

const restore = (meterId: string, cookie: string) =>
  RESTORE(apiRequest(`/api/meters/${meterId}/adapter/restore`, { cookie, method: 'POST' }), { params: Promise.resolve({ id: meterId }) });

describe('learning a meter in the portal', () => {
  it('asks recognize for an adapter once a meter’s reviews have added 20 labels, once while it waits', async () => {
    const meterId = (await prisma.meter.create({ data: { orgId, name: 'Reviewed', digits: 8, decimals: 3, trust: 'learning' } })).id;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await confirm((await pendingReading(meterId)).id));
    expect(answers.map((a) => a.trainingSamples)).toEqual([8, 8, 8, 8]);
    // 8 and 16 labels are too few; 24, then 32, ask (the second ask joins the waiting job).
    expect(answers.map((a) => a.adapterRequested)).toEqual([false, false, true, true]);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.map((j) => j.data)).toEqual([{ v: 1, meterId, kind: 'digits' }]);
  });

  it('labels the drums of an unreviewed frame that the reviewed readings around it prove, from their values', async () => {
    const meterId = (await prisma.meter.create({ data: { orgId, name: 'History', digits: 8, decimals: 3 } })).id;
    const [a, b, c] = [await pendingReading(meterId), await pendingReading(meterId), await pendingReading(meterId)];
    expect([a.value, c.value]).toEqual(['01235.567', '01237.567']);
    expect((await confirm(a.id)).historySamples).toBe(0);
    // 01235.567 … 01237.567: drums 0-2 (0, 1, 2) never moved between; drum 3 did, so it proves nothing.
    expect((await confirm(c.id)).historySamples).toBe(3);
    const proven = await prisma.trainingSample.findMany({ where: { meterId, source: 'history' }, orderBy: { index: 'asc' } });
    expect(proven.map((p) => [p.readingId, p.index, p.label, p.createdBy])).toEqual([
      [b.id, 0, 0, null],
      [b.id, 1, 1, null],
      [b.id, 2, 2, null],
    ]);
    // b itself is untouched and still waits for a person.
    expect(await prisma.reading.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: 'needs_review', reviewedBy: null });
  });

  it('lets an admin restore the previous adapter, then the base model; audited; operators may not', async () => {
    const meterId = (await prisma.meter.create({ data: { orgId, name: 'Restored', digits: 8, decimals: 3 } })).id;
    const trained = (version: string, labelCount: number, minConfidence: number | null) =>
      recordAdapter(prisma, {
        id: crypto.randomUUID(), meterId, kind: 'digits', version, baseVersion: 'base', storagePrefix: `adapters/${meterId}/${version}`, labelCount,
        heldBack: { base: { n: 4, right: 3, wrongConfident: 0, truthMass: 0.7 }, adapted: { n: 4, right: 4, wrongConfident: 0, truthMass: 0.9 } },
        minConfidence, threshold: { reason: minConfidence === null ? 'too few labels' : 'learned' },
        verdict: { promote: true },
      });
    const first = await trained('aaaaaaaaaaaa', 20, 0.82);
    const second = await trained('bbbbbbbbbbbb', 40, null);
    expect(await prisma.meterAdapter.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'retired', reason: 'replaced by bbbbbbbbbbbb' });

    expect((await restore(meterId, operatorCookie)).status).toBe(403);
    const back = await restore(meterId, adminCookie);
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ retired: { id: second.id, version: 'bbbbbbbbbbbb' }, restored: { id: first.id, version: 'aaaaaaaaaaaa' } });
    // The previous adapter comes back with the threshold it learned.
    expect(await prisma.meterAdapter.findFirst({ where: { meterId, status: 'promoted' } })).toMatchObject({ id: first.id, minConfidence: 0.82 });
    expect(await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).toMatchObject({ trust: 'learning' });

    // Restoring again goes one further back, to the base model; then there is nothing left to restore.
    expect(await (await restore(meterId, adminCookie)).json()).toMatchObject({ restored: null });
    expect(await prisma.meterAdapter.count({ where: { meterId, status: 'promoted' } })).toBe(0);
    const none = await restore(meterId, adminCookie);
    expect(none.status).toBe(409);
    expect(await none.json()).toEqual({ error: expect.stringMatching(/base model/), code: 'no-adapter-to-restore' });
    const audit = await prisma.auditLog.findMany({ where: { entityId: meterId, action: 'adapter.restored' }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.actorId, a.data])).toEqual([
      [adminId, { kind: 'digits', from: second.id, to: first.id }],
      [adminId, { kind: 'digits', from: first.id, to: null }],
    ]);
  });
});
