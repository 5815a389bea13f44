import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

// The third-party plugin of packages/rules' README, as a deployment names it in RULE_PLUGINS.
const PLUGIN = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../packages/rules/test/weekend-usage.rule.ts',
);

let rules: typeof import('../src/app/api/rules/route');
let rule: typeof import('../src/app/api/rules/[id]/route');
let ruleFormChoices: typeof import('../src/lib/rules').ruleFormChoices;
let db: TestDatabase;
let prisma: PrismaClient;
let orgId: string;
let cookie: string;

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: db.url, STORAGE_DIR: '/tmp', RULE_PLUGINS: PLUGIN });
  rules = await import('../src/app/api/rules/route');
  rule = await import('../src/app/api/rules/[id]/route');
  ({ ruleFormChoices } = await import('../src/lib/rules'));
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  cookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
});

afterAll(async () => {
  delete process.env.RULE_PLUGINS;
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

describe('rule plugins in the portal (RULE_PLUGINS, the registry notify uses)', () => {
  it('offers, creates and edits a plugin rule, checked by the plugin’s own schema', async () => {
    const { types } = await ruleFormChoices(prisma, orgId);
    expect(types.map((t) => t.type)).toContain('acme/weekend-usage');

    const refused = await rules.POST(
      apiRequest('/api/rules', {
        cookie,
        method: 'POST',
        json: { type: 'acme/weekend-usage', config: { above: -1 } },
      }),
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^config for acme\/weekend-usage: above:/,
    );

    const created = await rules.POST(
      apiRequest('/api/rules', {
        cookie,
        method: 'POST',
        json: { type: 'acme/weekend-usage', config: { above: 500 } },
      }),
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const edited = await rule.PUT(
      apiRequest(`/api/rules/${id}`, {
        cookie,
        method: 'PUT',
        json: {
          type: 'acme/weekend-usage',
          config: { above: 800, timeZone: 'Europe/Paris' },
          severity: 'minor',
        },
      }),
      { params: Promise.resolve({ id }) },
    );
    expect(edited.status).toBe(200);
    expect(await prisma.rule.findUniqueOrThrow({ where: { id } })).toMatchObject({
      type: 'acme/weekend-usage',
      config: { above: 800, timeZone: 'Europe/Paris' },
      severity: 'minor',
    });
    const audit = await prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ['rule.created', 'user'],
      ['rule.updated', 'user'],
    ]);
  });
});
