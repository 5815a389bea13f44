import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterTwinClient, type MeterTwinClient, type Reading } from '@metertwin/api-client';
import { createApiKey, createPrismaClient, revokeApiKey, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg, createReading } from './fixtures';
import { createUser } from './support/auth';
import { assertBrowserTestReady, startPortal, type RunningPortal } from './support/portal';

/**
 * The built portal under `next start`, called with the generated client (@metertwin/api-client) as
 * an integrator would: the routes, the security headers, a revoked key, the rate limit, and the
 * OpenAPI document it serves checked for structure (every $ref resolves, operationIds unique).
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RATE_LIMIT = 20;

let db: TestDatabase;
let prisma: PrismaClient;
let portal: RunningPortal;
let orgId: string;
let meterId: string;
let userId: string;
let api: MeterTwinClient;
const t0 = Date.parse('2026-05-01T00:00:00Z');
const HOUR = 3600_000;

beforeAll(async () => {
  assertBrowserTestReady();
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  meterId = (await prisma.meter.create({ data: { orgId, name: 'Riser 3', digits: 6 } })).id;
  userId = (await createUser(prisma, { orgId, role: 'operator' })).id;
  for (let i = 0; i < 6; i++) {
    await createReading(prisma, meterId, {
      takenAt: new Date(t0 + i * HOUR),
      value: `00010${i}`,
      numeric: String(100 + i),
    });
  }
  portal = await startPortal(
    {
      DATABASE_URL: db.url,
      REDIS_URL,
      STORAGE_DIR: '/tmp',
      API_RATE_LIMIT: String(RATE_LIMIT),
      API_RATE_WINDOW_SECONDS: '60',
    },
    { timeoutMs: 90_000 },
  );
  const { token } = await createApiKey(prisma, { orgId, name: 'integration', scopes: ['read', 'write'] });
  api = createMeterTwinClient({ baseUrl: portal.base, apiKey: token });
});

afterAll(async () => {
  await portal?.stop();
  await prisma?.$disconnect();
  await db?.drop();
});

describe('the generated client against the running portal', () => {
  it('reads meters and pages readings in a time range', async () => {
    const meters = await api.GET('/meters');
    expect(meters.response.status).toBe(200);
    expect(meters.data?.items.map((m) => m.name)).toEqual(['Riser 3']);

    const readings: Reading[] = [];
    let cursor: string | undefined;
    do {
      const { data, error } = await api.GET('/meters/{id}/readings', {
        params: {
          path: { id: meterId },
          query: {
            from: new Date(t0 + HOUR).toISOString(),
            to: new Date(t0 + 5 * HOUR).toISOString(),
            limit: 3,
            cursor,
          },
        },
      });
      expect(error).toBeUndefined();
      readings.push(...data!.items);
      cursor = data!.nextCursor ?? undefined;
    } while (cursor);
    expect(readings.map((r) => r.numeric)).toEqual([104, 103, 102, 101]);
  });

  it('creates and deletes a rule, and answers refusals in the error shape', async () => {
    const created = await api.POST('/rules', {
      body: { type: 'threshold', meterId, config: { above: 900 } },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ meterId, severity: 'major', enabled: true });
    const removed = await api.DELETE('/rules/{id}', { params: { path: { id: created.data!.id } } });
    expect(removed.response.status).toBe(204);

    const missing = await api.GET('/rules/{id}', { params: { path: { id: created.data!.id } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe('not_found');
    const refused = await api.POST('/alarms/{id}/acknowledge', {
      params: { path: { id: created.data!.id } },
      body: { actorId: userId },
    });
    expect(refused.response.status).toBe(404);
  });

  it('keeps the security headers on /api/v1 and ignores a session cookie', async () => {
    const res = await fetch(`${portal.base}/api/v1/meters`, { headers: { cookie: 'mt_session=whatever' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers a path it does not have with a JSON 404', async () => {
    const res = await fetch(`${portal.base}/api/v1/gauges`, { headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('refuses a key on the request right after it is revoked', async () => {
    const { key, token } = await createApiKey(prisma, { orgId, name: 'short-lived', scopes: ['read'] });
    const client = createMeterTwinClient({ baseUrl: portal.base, apiKey: token });
    expect((await client.GET('/meters')).response.status).toBe(200);
    expect(await revokeApiKey(prisma, orgId, key.id)).toBe(true);
    const after = await client.GET('/meters');
    expect(after.response.status).toBe(401);
    expect(after.error?.error.code).toBe('unauthorized');
  });

  it('answers 429 with Retry-After once the key has used its window', async () => {
    const { token } = await createApiKey(prisma, { orgId, name: 'busy', scopes: ['read'] });
    const client = createMeterTwinClient({ baseUrl: portal.base, apiKey: token });
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++) statuses.push((await client.GET('/meters')).response.status);
    expect(statuses.slice(0, RATE_LIMIT).every((s) => s === 200)).toBe(true);
    const limited = await client.GET('/meters');
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.response.headers.get('ratelimit-limit')).toBe(String(RATE_LIMIT));
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document whose $refs resolve and whose operationIds are unique', async () => {
    const res = await fetch(`${portal.base}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { scheme?: string }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.apiKey?.scheme).toBe('bearer');

    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      const [, name] = /^#\/components\/schemas\/(.+)$/.exec(ref) ?? [];
      expect(name && doc.components.schemas[name], `${ref} resolves`).toBeTruthy();
    }

    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'listMeters',
        'listMeterReadings',
        'listAlarms',
        'acknowledgeAlarm',
        'createRule',
        'updateRule',
        'deleteRule',
      ]),
    );
    for (const o of operations) {
      expect(Object.keys(o.responses), o.operationId).toEqual(expect.arrayContaining(['401', '403', '429']));
    }
  });
});
