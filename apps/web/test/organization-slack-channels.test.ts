import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

/**
 * Slack channels from the portal's settings through packages/slack-channels (notify's /v1/slack-channels
 * uses it too), against real Postgres: admins only, the URL checked and never answered or audited,
 * 404 across organizations.
 */
let listRoute: typeof import('../src/app/api/organization/slack-channels/route');
let itemRoute: typeof import('../src/app/api/organization/slack-channels/[id]/route');
let db: TestDatabase;
let prisma: PrismaClient;
let admin: string;
let viewer: string;
let otherAdmin: string;

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    STORAGE_DIR: '/tmp',
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
  });
  listRoute = await import('../src/app/api/organization/slack-channels/route');
  itemRoute = await import('../src/app/api/organization/slack-channels/[id]/route');
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  admin = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'admin' })).id);
  viewer = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
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
  listRoute.POST(apiRequest('/api/organization/slack-channels', { cookie, method: 'POST', json }));
const list = (cookie: string) => listRoute.GET(apiRequest('/api/organization/slack-channels', { cookie }));
const update = (cookie: string, id: string, json: unknown) =>
  itemRoute.PUT(apiRequest(`/api/organization/slack-channels/${id}`, { cookie, method: 'PUT', json }), {
    params: Promise.resolve({ id }),
  });
const remove = (cookie: string, id: string) =>
  itemRoute.DELETE(apiRequest(`/api/organization/slack-channels/${id}`, { cookie, method: 'DELETE' }), {
    params: Promise.resolve({ id }),
  });

describe('Slack channels in the portal settings', () => {
  it('an admin adds, changes and deletes a channel; its URL is never shown again', async () => {
    const webhookUrl = 'https://127.0.0.1/services/T1/B1/very-secret';
    expect((await create(viewer, { name: '#ops', webhookUrl })).status).toBe(403);
    expect((await create(admin, { name: '#ops', webhookUrl: 'http://127.0.0.1/x' })).status).toBe(400);
    expect((await create(admin, { name: '#ops', webhookUrl: 'https://169.254.169.254/x' })).status).toBe(400);

    const res = await create(admin, { name: '#ops', webhookUrl, minSeverity: 'critical' });
    expect(res.status).toBe(201);
    const { channel } = (await res.json()) as { channel: { id: string } };
    const listed = JSON.stringify(await (await list(admin)).json());
    expect(listed).toContain('https://127.0.0.1/…');
    expect(listed).not.toContain('very-secret');
    expect(JSON.stringify(await (await list(otherAdmin)).json())).not.toContain(channel.id);

    expect(
      await (await update(admin, channel.id, { minSeverity: 'minor', enabled: false })).json(),
    ).toMatchObject({
      channel: { minSeverity: 'minor', enabled: false },
    });
    expect((await update(otherAdmin, channel.id, { enabled: true })).status).toBe(404);
    expect((await remove(otherAdmin, channel.id)).status).toBe(404);
    expect((await remove(admin, channel.id)).status).toBe(204);

    const audit = await prisma.auditLog.findMany({ where: { entityId: channel.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ['slack-channel.created', 'user'],
      ['slack-channel.updated', 'user'],
      ['slack-channel.deleted', 'user'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('very-secret');
  });
});
