import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

let POST: typeof import('../src/app/api/meters/[id]/value/route').POST;
let db: TestDatabase;
let prisma: PrismaClient;
let meterId: string;
let operatorCookie: string;
let viewerCookie: string;
let otherMeterId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  ({ POST } = await import('../src/app/api/meters/[id]/value/route'));
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  meterId = (await prisma.meter.create({ data: { orgId, name: 'M', digits: 8, decimals: 3 } })).id;
  otherMeterId = (await prisma.meter.create({ data: { orgId: await createOrg(prisma), name: 'Theirs', digits: 8, decimals: 3 } })).id;
  operatorCookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
  viewerCookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

const call = (id: string, body: unknown, cookie: string | null) =>
  POST(apiRequest(`/api/meters/${id}/value`, { method: 'POST', cookie, json: body }), {
    params: Promise.resolve({ id }),
  });

describe('POST /api/meters/[id]/value', () => {
  it('records the value an operator read off the meter, with the audit entry', async () => {
    const res = await call(meterId, { value: '00012.340', reason: 'meter replaced' }, operatorCookie);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; value: string; setAt: string };
    expect(body.value).toBe('00012.340');
    const anchor = await prisma.meterAnchor.findUniqueOrThrow({ where: { id: body.id } });
    expect(Number(anchor.value)).toBe(12.34);
    expect(await prisma.auditLog.count({ where: { action: 'meter.value.set', entityId: meterId } })).toBe(1);
  });

  it('answers 400 for a value the counter cannot show or no reason, 403 to a viewer, 404 for another organization’s meter', async () => {
    expect((await call(meterId, { value: '1234567.000', reason: 'typo' }, operatorCookie)).status).toBe(400);
    expect((await call(meterId, { value: '12.5' }, operatorCookie)).status).toBe(400);
    expect((await call(meterId, { value: '12.5', reason: 'swap' }, viewerCookie)).status).toBe(403);
    expect((await call(otherMeterId, { value: '12.5', reason: 'swap' }, operatorCookie)).status).toBe(404);
    expect(await prisma.meterAnchor.count()).toBe(1);
  });
});
