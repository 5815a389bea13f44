import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

/**
 * The organization's Home Assistant switch in the portal's settings, through packages/home-assistant,
 * against real Postgres: admins switch it, everyone signed in may read it, each change is audited once.
 */
let route: typeof import('../src/app/api/organization/home-assistant/route');
let db: TestDatabase;
let prisma: PrismaClient;
let orgId: string;
let otherOrgId: string;
let adminId: string;
let admin: string;
let operator: string;
let viewer: string;

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: db.url, STORAGE_DIR: '/tmp' });
  route = await import('../src/app/api/organization/home-assistant/route');
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  otherOrgId = await createOrg(prisma);
  adminId = (await createUser(prisma, { orgId, role: 'admin' })).id;
  admin = await sessionCookie(prisma, adminId);
  operator = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
  viewer = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

const put = (cookie: string, json: unknown) => route.PUT(apiRequest('/api/organization/home-assistant', { cookie, method: 'PUT', json }));
const get = (cookie: string) => route.GET(apiRequest('/api/organization/home-assistant', { cookie }));
const stored = async (id: string) => (await prisma.organization.findUniqueOrThrow({ where: { id } })).homeAssistant;

describe('Home Assistant switch in the portal settings', () => {
  it('an admin turns it on and off; each change is audited once, a repeat is not', async () => {
    expect(await (await get(viewer)).json()).toEqual({ enabled: false, discoveryPrefix: 'homeassistant' });

    const on = await put(admin, { enabled: true });
    expect([on.status, await on.json()]).toEqual([200, { enabled: true, discoveryPrefix: 'homeassistant' }]);
    expect(await stored(orgId)).toBe(true);
    expect((await put(admin, { enabled: true })).status).toBe(200);
    expect(await (await get(operator)).json()).toMatchObject({ enabled: true });
    expect((await put(admin, { enabled: false })).status).toBe(200);
    expect(await stored(orgId)).toBe(false);

    const audits = await prisma.auditLog.findMany({ where: { orgId, action: 'organization.home-assistant.set' }, orderBy: { at: 'asc' } });
    expect(audits.map((a) => ({ actorId: a.actorId, entityId: a.entityId, data: a.data }))).toEqual([
      { actorId: adminId, entityId: orgId, data: { before: false, after: true } },
      { actorId: adminId, entityId: orgId, data: { before: true, after: false } },
    ]);
    // the other organization is untouched
    expect(await stored(otherOrgId)).toBe(false);
  });

  it('refuses operators and viewers (403), a body that is not {enabled: boolean} (400), and anyone signed out (401)', async () => {
    expect((await put(operator, { enabled: true })).status).toBe(403);
    expect((await put(viewer, { enabled: true })).status).toBe(403);
    for (const body of [{ enabled: 'yes' }, {}, { enabled: true, discoveryPrefix: 'elsewhere' }]) {
      expect([JSON.stringify(body), (await put(admin, body)).status]).toEqual([JSON.stringify(body), 400]);
    }
    expect((await route.PUT(apiRequest('/api/organization/home-assistant', { cookie: null, method: 'PUT', json: { enabled: true } }))).status).toBe(401);
    expect(await stored(orgId)).toBe(false);
    expect(await prisma.auditLog.count({ where: { orgId, action: 'organization.home-assistant.set' } })).toBe(2);
  });
});
