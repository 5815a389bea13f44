import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, findApiKey, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

let keysRoute: typeof import('../src/app/api/organization/api-keys/route');
let keyRoute: typeof import('../src/app/api/organization/api-keys/[id]/route');
let db: TestDatabase;
let prisma: PrismaClient;
let orgId: string;
let admin: string;
let operator: string;
let otherAdmin: string;

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: db.url, STORAGE_DIR: '/tmp' });
  keysRoute = await import('../src/app/api/organization/api-keys/route');
  keyRoute = await import('../src/app/api/organization/api-keys/[id]/route');
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  admin = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'admin' })).id);
  operator = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
  otherAdmin = await sessionCookie(
    prisma,
    (await createUser(prisma, { orgId: await createOrg(prisma), role: 'admin' })).id,
  );
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

const create = (cookie: string, json: unknown) =>
  keysRoute.POST(apiRequest('/api/organization/api-keys', { cookie, method: 'POST', json }));
const list = (cookie: string) => keysRoute.GET(apiRequest('/api/organization/api-keys', { cookie }));
const revoke = (cookie: string, id: string) =>
  keyRoute.DELETE(apiRequest(`/api/organization/api-keys/${id}`, { cookie, method: 'DELETE' }), {
    params: Promise.resolve({ id }),
  });

describe('organization API keys in the portal', () => {
  it('an admin creates a key that is shown once and works for the organization only', async () => {
    expect((await create(operator, { name: 'x', scopes: ['read'] })).status).toBe(403);
    expect((await create(admin, { name: 'x', scopes: [] })).status).toBe(400);
    expect((await create(admin, { name: 'x', scopes: ['admin'] })).status).toBe(400);

    const res = await create(admin, { name: 'SCADA export', scopes: ['read'] });
    expect(res.status).toBe(201);
    const { key, token } = (await res.json()) as { key: { id: string; prefix: string }; token: string };
    expect(token).toMatch(/^mtk_/);
    expect(await findApiKey(prisma, token)).toMatchObject({ orgId, scopes: ['read'] });

    const listed = JSON.stringify(await (await list(admin)).json());
    expect(listed).toContain(key.prefix);
    expect(listed).not.toContain(token);
    expect(listed).not.toContain('tokenHash');
    expect(JSON.stringify(await (await list(otherAdmin)).json())).not.toContain(key.id);

    // Another organization's admin cannot revoke it; this one's can, and it stops working at once.
    expect((await revoke(otherAdmin, key.id)).status).toBe(404);
    expect(await findApiKey(prisma, token)).not.toBeNull();
    expect((await revoke(admin, key.id)).status).toBe(204);
    expect(await findApiKey(prisma, token)).toBeNull();
    expect((await revoke(admin, key.id)).status).toBe(404);
    const audit = await prisma.auditLog.findMany({
      where: { orgId, entityId: key.id },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['api-key.created', 'api-key.revoked']);
  });
});
