import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createCapture, createOrg, TINY_PNG } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

// The real route module, configured through the environment like `next start`.
let GET: typeof import('../src/app/api/captures/[id]/image/route').GET;
let db: TestDatabase;
let prisma: PrismaClient;
let storageDir: string;
let meterId: string;
let otherMeterId: string;
let cookie: string;

beforeAll(async () => {
  db = await createTestDatabase();
  storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-storage-'));
  process.env.DATABASE_URL = db.url;
  process.env.STORAGE_DIR = storageDir;
  delete process.env.S3_BUCKET;
  ({ GET } = await import('../src/app/api/captures/[id]/image/route'));
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  meterId = (await prisma.meter.create({ data: { orgId, name: 'M', digits: 5 } })).id;
  const otherOrg = await createOrg(prisma);
  otherMeterId = (await prisma.meter.create({ data: { orgId: otherOrg, name: 'Other', digits: 5 } })).id;
  cookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

const call = (id: string, headers: Record<string, string> = {}, as: string | null = cookie) =>
  GET(apiRequest(`/api/captures/${id}/image`, { cookie: as, headers }), {
    params: Promise.resolve({ id }),
  });

describe('GET /api/captures/[id]/image', () => {
  it('serves the stored bytes with their content type and long-lived private caching', async () => {
    const capture = await createCapture(prisma, meterId, { takenAt: new Date() });
    await new DiskStorage(storageDir).put(capture.storageKey, TINY_PNG);

    const res = await call(capture.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(TINY_PNG.byteLength));
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(res.headers.get('etag')).toBe(`"${capture.sha256}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(TINY_PNG)).toBe(true);

    const again = await call(capture.id, { 'if-none-match': `"${capture.sha256}"` });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('never sends stored bytes under a content type other than an image one', async () => {
    const capture = await createCapture(prisma, meterId, { takenAt: new Date(), contentType: 'text/html' });
    await new DiskStorage(storageDir).put(capture.storageKey, TINY_PNG);
    const res = await call(capture.id);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('answers 404 for an unknown capture and for a capture whose file is gone', async () => {
    const unknown = await call('00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('cache-control')).toBe('no-store');

    const orphan = await createCapture(prisma, meterId, {
      takenAt: new Date(),
      storageKey: 'captures/missing/file.png',
    });
    expect((await call(orphan.id)).status).toBe(404);
  });

  it('answers 410 Gone, with when, for a photo that retention deleted', async () => {
    const capture = await createCapture(prisma, meterId, { takenAt: new Date() });
    await new DiskStorage(storageDir).put(capture.storageKey, TINY_PNG);
    await prisma.capture.update({ where: { id: capture.id }, data: { photoDeletedAt: new Date('2026-12-01T03:00:00Z') } });
    const res = await call(capture.id);
    expect(res.status).toBe(410);
    expect(await res.text()).toBe("photo deleted by the organization's retention on 2026-12-01T03:00:00.000Z\n");
  });

  it('answers 401 when signed out and 404 for another organization’s capture', async () => {
    const capture = await createCapture(prisma, meterId, { takenAt: new Date() });
    await new DiskStorage(storageDir).put(capture.storageKey, TINY_PNG);
    expect((await call(capture.id, {}, null)).status).toBe(401);

    const theirs = await createCapture(prisma, otherMeterId, { takenAt: new Date() });
    await new DiskStorage(storageDir).put(theirs.storageKey, TINY_PNG);
    const res = await call(theirs.id);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('capture image not found\n');
  });
});
