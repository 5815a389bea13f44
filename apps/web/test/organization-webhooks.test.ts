import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

/**
 * Webhook subscriptions from the portal's settings, through the same package as notify's /v1/webhooks
 * (packages/webhook-subscriptions), against real Postgres: admins only, the URL checked against the
 * organization's outbound policy, the secret answered only on create and rotate, every change audited.
 */
let listRoute: typeof import('../src/app/api/organization/webhooks/route');
let itemRoute: typeof import('../src/app/api/organization/webhooks/[id]/route');
let db: TestDatabase;
let prisma: PrismaClient;
let orgId: string;
let admin: string;
let operator: string;
let otherAdmin: string;

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: db.url, STORAGE_DIR: '/tmp' });
  listRoute = await import('../src/app/api/organization/webhooks/route');
  itemRoute = await import('../src/app/api/organization/webhooks/[id]/route');
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  await prisma.organization.update({ where: { id: orgId }, data: { deviceNetworks: ['10.20.0.0/16'] } });
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
  listRoute.POST(apiRequest('/api/organization/webhooks', { cookie, method: 'POST', json }));
const list = (cookie: string) => listRoute.GET(apiRequest('/api/organization/webhooks', { cookie }));
const update = (cookie: string, id: string, json: unknown) =>
  itemRoute.PUT(apiRequest(`/api/organization/webhooks/${id}`, { cookie, method: 'PUT', json }), {
    params: Promise.resolve({ id }),
  });
const remove = (cookie: string, id: string) =>
  itemRoute.DELETE(apiRequest(`/api/organization/webhooks/${id}`, { cookie, method: 'DELETE' }), {
    params: Promise.resolve({ id }),
  });

describe('webhooks in the portal settings', () => {
  it('an admin adds, changes, rotates and deletes a subscription, with the rules of notify’s API', async () => {
    const url = 'http://10.20.1.5/hooks';
    expect((await create(operator, { url, events: ['alarm.raised'] })).status).toBe(403);
    expect((await create(admin, { url, events: ['alarm.exploded'] })).status).toBe(400);
    const metadata = await create(admin, { url: 'http://169.254.169.254/x', events: ['alarm.raised'] });
    expect(metadata.status).toBe(400);
    expect(((await metadata.json()) as { error: string }).error).toMatch(/cloud metadata/);
    // Private networks other than the organization's device networks are refused too.
    expect((await create(admin, { url: 'http://192.168.7.7/x', events: ['alarm.raised'] })).status).toBe(400);

    const res = await create(admin, { url, events: ['alarm.raised', 'alarm.raised', 'alarm.cleared'] });
    expect(res.status).toBe(201);
    const { webhook } = (await res.json()) as { webhook: { id: string; secret: string; events: string[] } };
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(webhook.events).toEqual(['alarm.raised', 'alarm.cleared']);

    const listed = (await (await list(admin)).json()) as { webhooks: Record<string, unknown>[] };
    expect(listed.webhooks).toHaveLength(1);
    expect(listed.webhooks[0]).not.toHaveProperty('secret');
    expect(((await (await list(otherAdmin)).json()) as { webhooks: unknown[] }).webhooks).toEqual([]);

    const off = await update(admin, webhook.id, { enabled: false });
    expect(await off.json()).toMatchObject({ webhook: { enabled: false } });
    expect(JSON.stringify(await (await update(admin, webhook.id, { enabled: true })).json())).not.toContain(
      'whsec_',
    );
    const rotated = (await (await update(admin, webhook.id, { rotateSecret: true })).json()) as {
      webhook: { secret: string };
    };
    expect(rotated.webhook.secret).not.toBe(webhook.secret);
    expect((await prisma.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).secret).toBe(
      rotated.webhook.secret,
    );

    expect((await update(otherAdmin, webhook.id, { enabled: false })).status).toBe(404);
    expect((await remove(otherAdmin, webhook.id)).status).toBe(404);
    expect((await remove(admin, webhook.id)).status).toBe(204);
    expect((await remove(admin, webhook.id)).status).toBe(404);

    const audit = await prisma.auditLog.findMany({ where: { entityId: webhook.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ['webhook.created', 'user'],
      ['webhook.updated', 'user'],
      ['webhook.updated', 'user'],
      ['webhook.updated', 'user'],
      ['webhook.deleted', 'user'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
  });
});
