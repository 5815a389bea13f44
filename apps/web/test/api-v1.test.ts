import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '@metertwin/contracts';
import { createApiKey, createPrismaClient, type ApiScope, type PrismaClient } from '@metertwin/db';
import {
  AlarmPageSchema,
  ErrorSchema,
  MeterPageSchema,
  operations,
  ReadingPageSchema,
  RuleSchema,
} from '@metertwin/public-api';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '@metertwin/testing';
import { createOrg, createReading } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

/**
 * /api/v1's route handlers called directly, against a real Postgres and Redis: organization API keys
 * (scopes, another organization's key, revocation), paging and time ranges, the error shape, the
 * per-key rate limit and the audit rows of changes made with a key.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RATE_LIMIT = 25;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
let routes: Record<string, Record<string, Handler>>;
let revokeRoute: typeof import('../src/app/api/organization/api-keys/[id]/route');
let closeQueues: () => Promise<void>;
let db: TestDatabase;
let prisma: PrismaClient;
let queue: Queue;
let orgId: string;
let otherOrgId: string;
let meterId: string;
let otherMeterId: string;
let userId: string;
let adminCookie: string;
let readKey: string;
let writeKey: string;
let otherOrgKey: string;
const t0 = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3600_000;

beforeAll(async () => {
  db = await createTestDatabase();
  const prefix = uniqueQueuePrefix();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    STORAGE_DIR: '/tmp',
    API_RATE_LIMIT: String(RATE_LIMIT),
    API_RATE_WINDOW_SECONDS: '60',
  });
  routes = {
    '/meters': await import('../src/app/api/v1/meters/route'),
    '/meters/{id}': await import('../src/app/api/v1/meters/[id]/route'),
    '/meters/{id}/readings': await import('../src/app/api/v1/meters/[id]/readings/route'),
    '/alarms': await import('../src/app/api/v1/alarms/route'),
    '/alarms/{id}/acknowledge': await import('../src/app/api/v1/alarms/[id]/acknowledge/route'),
    '/alarms/{id}/clear': await import('../src/app/api/v1/alarms/[id]/clear/route'),
    '/rules': await import('../src/app/api/v1/rules/route'),
    '/rules/{id}': await import('../src/app/api/v1/rules/[id]/route'),
  } as unknown as Record<string, Record<string, Handler>>;
  revokeRoute = await import('../src/app/api/organization/api-keys/[id]/route');
  ({ closeQueues } = await import('../src/lib/queues'));
  prisma = createPrismaClient(db.url);
  queue = new Queue(QueueName.AlarmEvent, { connection: { url: REDIS_URL }, prefix });

  orgId = await createOrg(prisma);
  otherOrgId = await createOrg(prisma);
  meterId = (await prisma.meter.create({ data: { orgId, name: 'Basement', digits: 5, decimals: 3 } })).id;
  otherMeterId = (await prisma.meter.create({ data: { orgId: otherOrgId, name: 'Elsewhere', digits: 5 } }))
    .id;
  const admin = await createUser(prisma, { orgId, role: 'admin' });
  userId = admin.id;
  adminCookie = await sessionCookie(prisma, admin.id);
  readKey = await newKey(['read']);
  writeKey = await newKey(['read', 'write']);
  otherOrgKey = (await createApiKey(prisma, { orgId: otherOrgId, name: 'other', scopes: ['read', 'write'] }))
    .token;
  // 30 readings an hour apart, from t0.
  for (let i = 0; i < 30; i++) {
    await createReading(prisma, meterId, {
      takenAt: new Date(t0 + i * HOUR),
      value: `${String(100 + i).padStart(5, '0')}.000`,
      numeric: String(100 + i),
      consumption: i === 0 ? null : '1',
    });
  }
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient; __mtApiRedis?: { quit(): Promise<unknown> } };
  await closeQueues?.();
  await g.__mtApiRedis?.quit();
  await queue?.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

async function newKey(scopes: ApiScope[], org = orgId): Promise<string> {
  return (await createApiKey(prisma, { orgId: org, name: `key ${randomUUID().slice(0, 6)}`, scopes })).token;
}

/** Calls the route of an OpenAPI path (`/meters/{id}`) with the key, as a client would. */
async function call(
  method: string,
  path: string,
  key: string | null,
  options: {
    params?: Record<string, string>;
    query?: string;
    json?: unknown;
    body?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const params = options.params ?? {};
  const url = `/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!)}${options.query ? `?${options.query}` : ''}`;
  const headers: Record<string, string> = { ...options.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  let request = apiRequest(url, { cookie: null, method, json: options.json, headers });
  if (options.body !== undefined) request = new Request(request, { body: options.body });
  return routes[path]![method]!(request, { params: Promise.resolve(params) });
}

async function errorOf(res: Response) {
  return ErrorSchema.parse(await res.json()).error;
}

describe('/api/v1 routes', () => {
  it('serve exactly the operations of the OpenAPI document', async () => {
    const v1Dir = fileURLToPath(new URL('../src/app/api/v1', import.meta.url));
    const served = (await readdir(v1Dir, { recursive: true }))
      .filter(
        (file) => file.endsWith('route.ts') && !file.startsWith('openapi.json') && !file.startsWith('[...'),
      )
      .map((file) => `/${path.dirname(file)}`.replace(/\[(\w+)\]/g, '{$1}'))
      .sort();
    const documented = Object.values(operations);
    expect(served).toEqual([...new Set(documented.map((o) => o.path))].sort());
    // The handlers this test calls, loaded from those files, answer each documented method.
    for (const op of documented) {
      expect(typeof routes[op.path]?.[op.method.toUpperCase()], `${op.method} ${op.path}`).toBe('function');
    }
  });
});

describe('/api/v1 reads with an organization API key', () => {
  it('lists meters and pages through readings newest first, within a time range', async () => {
    const meters = await call('GET', '/meters', readKey);
    expect(meters.status).toBe(200);
    expect(meters.headers.get('cache-control')).toBe('no-store');
    const meterPage = MeterPageSchema.parse(await meters.json());
    // Only the key's organization's meter.
    expect(meterPage.items.map((m) => m.id)).toEqual([meterId]);
    expect(meterPage.nextCursor).toBeNull();

    const meter = await call('GET', '/meters/{id}', readKey, { params: { id: meterId } });
    expect(await meter.json()).toMatchObject({ id: meterId, name: 'Basement', digits: 5, decimals: 3, archivedAt: null });
    // an archived meter is still listed (its history stays), saying since when it is archived
    const archivedAt = new Date('2026-11-30T08:00:00Z');
    await prisma.meter.update({ where: { id: meterId }, data: { archivedAt } });
    const archived = await call('GET', '/meters/{id}', readKey, { params: { id: meterId } });
    expect(await archived.json()).toMatchObject({ id: meterId, archivedAt: archivedAt.toISOString() });
    await prisma.meter.update({ where: { id: meterId }, data: { archivedAt: null } });

    // [t0+5h, t0+17h): readings 5..16, newest first, 5 per page.
    const range = `from=${new Date(t0 + 5 * HOUR).toISOString()}&to=${new Date(t0 + 17 * HOUR).toISOString()}&limit=5`;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call('GET', '/meters/{id}/readings', readKey, {
        params: { id: meterId },
        query: cursor ? `${range}&cursor=${cursor}` : range,
      });
      expect(res.status).toBe(200);
      const page = ReadingPageSchema.parse(await res.json());
      seen.push(...page.items.map((r) => r.takenAt));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => new Date(t0 + (16 - i) * HOUR).toISOString()));

    const first = ReadingPageSchema.parse(
      await (
        await call('GET', '/meters/{id}/readings', readKey, { params: { id: meterId }, query: 'limit=1' })
      ).json(),
    );
    expect(first.items[0]).toMatchObject({
      value: '00129.000',
      numeric: 129,
      consumption: 1,
      status: 'accepted',
    });
  });

  it('updates lastUsedAt of the key it was called with', async () => {
    const key = await newKey(['read']);
    await call('GET', '/meters', key);
    const row = await prisma.apiKey.findFirstOrThrow({
      where: { prefix: key.slice(0, 12) },
    });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("answers another organization's key with 404 for this organization's things", async () => {
    for (const path of ['/meters/{id}', '/meters/{id}/readings']) {
      const res = await call('GET', path, otherOrgKey, { params: { id: meterId } });
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('not_found');
    }
    const meters = MeterPageSchema.parse(await (await call('GET', '/meters', otherOrgKey)).json());
    expect(meters.items.map((m) => m.id)).toEqual([otherMeterId]);
    const rule = await prisma.rule.create({ data: { orgId, type: 'threshold', config: { above: 5 } } });
    expect((await call('GET', '/rules/{id}', otherOrgKey, { params: { id: rule.id } })).status).toBe(404);
    expect((await call('DELETE', '/rules/{id}', otherOrgKey, { params: { id: rule.id } })).status).toBe(404);
    expect(await prisma.rule.count({ where: { id: rule.id } })).toBe(1);
  });

  it('refuses a missing, unknown or revoked key with 401, the revoked one on its very next request', async () => {
    expect((await errorOf(await call('GET', '/meters', null))).code).toBe('unauthorized');
    expect((await call('GET', '/meters', 'mtk_abcdefgh_nope')).status).toBe(401);
    // A session cookie is not an API credential.
    const cookieOnly = await routes['/meters']!.GET!(apiRequest('/api/v1/meters', { cookie: adminCookie }), {
      params: Promise.resolve({}),
    });
    expect(cookieOnly.status).toBe(401);

    const { key, token } = await createApiKey(prisma, { orgId, name: 'to revoke', scopes: ['read'] });
    expect((await call('GET', '/meters', token)).status).toBe(200);
    const revoked = await revokeRoute.DELETE(
      apiRequest(`/api/organization/api-keys/${key.id}`, { cookie: adminCookie, method: 'DELETE' }),
      { params: Promise.resolve({ id: key.id }) },
    );
    expect(revoked.status).toBe(204);
    const res = await call('GET', '/meters', token);
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toEqual({ code: 'unauthorized', message: 'unknown or revoked API key' });
  });
});

describe('/api/v1 input checks', () => {
  it('answers a malformed query or path with 400 and every issue', async () => {
    const res = await call('GET', '/meters/{id}/readings', readKey, {
      params: { id: meterId },
      query: 'limit=5000&from=yesterday&cursor=xyz',
    });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('bad_request');
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['cursor', 'from', 'limit']);
    const backwards = await call('GET', '/meters/{id}/readings', readKey, {
      params: { id: meterId },
      query: `from=${new Date(t0 + HOUR).toISOString()}&to=${new Date(t0).toISOString()}`,
    });
    expect((await errorOf(backwards)).issues).toEqual([{ path: 'to', message: 'must be after from' }]);
    expect((await call('GET', '/meters/{id}', readKey, { params: { id: 'not-a-uuid' } })).status).toBe(400);
  });

  it('answers a body that is not JSON with 400, one its schema refuses with 422', async () => {
    const notJson = await call('POST', '/rules', writeKey, {
      body: '{"type":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe('bad_request');

    const refused = await call('POST', '/rules', writeKey, {
      json: { type: 'threshold', config: 'high', colour: 'red' },
    });
    expect(refused.status).toBe(422);
    const error = await errorOf(refused);
    expect(error.code).toBe('unprocessable');
    expect(error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['config']));

    // A config its rule type refuses is the domain's refusal: 422 too.
    const badConfig = await call('POST', '/rules', writeKey, {
      json: { type: 'threshold', config: { above: 'lots' } },
    });
    expect(badConfig.status).toBe(422);
    const wrongType = await call('POST', '/rules', writeKey, {
      body: 'type=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
  });
});

describe('/api/v1 changes', () => {
  it('needs the write scope: 403 for a read-only key, nothing changed', async () => {
    const res = await call('POST', '/rules', readKey, { json: { type: 'threshold', config: { above: 9 } } });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('forbidden');
    expect(await prisma.rule.count({ where: { orgId, config: { equals: { above: 9 } } } })).toBe(0);
  });

  it('creates, changes and deletes a rule through the alarms package, each audited to the key', async () => {
    const created = await call('POST', '/rules', writeKey, {
      json: { type: 'threshold', meterId, config: { above: 500 }, severity: 'minor' },
    });
    expect(created.status).toBe(201);
    const rule = RuleSchema.parse(await created.json());
    expect(rule).toMatchObject({
      meterId,
      config: { above: 500 },
      severity: 'minor',
      enabled: true,
      actions: [],
    });

    const listed = await call('GET', '/rules', readKey, { query: `meterId=${meterId}` });
    expect(((await listed.json()) as { items: { id: string }[] }).items.map((r) => r.id)).toContain(rule.id);

    const patched = await call('PATCH', '/rules/{id}', writeKey, {
      params: { id: rule.id },
      json: { enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: rule.id, enabled: false, config: { above: 500 } });
    // The meter is fixed once created.
    const move = await call('PATCH', '/rules/{id}', writeKey, {
      params: { id: rule.id },
      json: { meterId: otherMeterId },
    });
    expect(move.status).toBe(422);

    expect((await call('DELETE', '/rules/{id}', writeKey, { params: { id: rule.id } })).status).toBe(204);
    expect(await prisma.rule.count({ where: { id: rule.id } })).toBe(0);

    const writeKeyId = (await prisma.apiKey.findFirstOrThrow({ where: { prefix: writeKey.slice(0, 12) } }))
      .id;
    const audit = await prisma.auditLog.findMany({ where: { entityId: rule.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType, a.actorId])).toEqual([
      ['rule.created', 'api-key', writeKeyId],
      ['rule.updated', 'api-key', writeKeyId],
      ['rule.deleted', 'api-key', writeKeyId],
    ]);
  });

  it("refuses a rule naming another organization's meter with 404", async () => {
    const res = await call('POST', '/rules', writeKey, {
      json: { type: 'threshold', meterId: otherMeterId, config: { above: 1 } },
    });
    expect(res.status).toBe(404);
  });

  it('lists alarms by status and meter, acknowledges and clears one for a user of the organization', async () => {
    const open = await prisma.alarm.create({
      data: {
        orgId,
        meterId,
        type: 'leak',
        severity: 'critical',
        message: 'Flow never stopped',
        openKey: `${meterId}:leak`,
      },
    });
    await prisma.alarm.create({
      data: {
        orgId,
        meterId,
        type: 'old',
        severity: 'minor',
        message: 'Done',
        status: 'cleared',
        clearedAt: new Date(),
      },
    });
    await prisma.alarm.create({
      data: {
        orgId: otherOrgId,
        meterId: otherMeterId,
        type: 'leak',
        severity: 'major',
        message: 'Not ours',
      },
    });
    const openPage = AlarmPageSchema.parse(
      await (await call('GET', '/alarms', readKey, { query: `status=open&meterId=${meterId}` })).json(),
    );
    expect(openPage.items.map((a) => a.id)).toEqual([open.id]);
    const all = AlarmPageSchema.parse(
      await (await call('GET', '/alarms', readKey, { query: 'limit=1' })).json(),
    );
    expect(all.items).toHaveLength(1);
    expect(all.nextCursor).not.toBeNull();
    const rest = AlarmPageSchema.parse(
      await (await call('GET', '/alarms', readKey, { query: `cursor=${all.nextCursor}` })).json(),
    );
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();

    // Read-only key, another organization's key, a user of another organization: refused, nothing changed.
    expect(
      (
        await call('POST', '/alarms/{id}/acknowledge', readKey, {
          params: { id: open.id },
          json: { actorId: userId },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call('POST', '/alarms/{id}/acknowledge', otherOrgKey, {
          params: { id: open.id },
          json: { actorId: userId },
        })
      ).status,
    ).toBe(404);
    const stranger = await createUser(prisma, { orgId: otherOrgId });
    expect(
      (
        await call('POST', '/alarms/{id}/acknowledge', writeKey, {
          params: { id: open.id },
          json: { actorId: stranger.id },
        })
      ).status,
    ).toBe(404);
    expect(
      (await call('POST', '/alarms/{id}/acknowledge', writeKey, { params: { id: open.id }, json: {} }))
        .status,
    ).toBe(422);
    expect((await prisma.alarm.findUniqueOrThrow({ where: { id: open.id } })).status).toBe('active');

    const ack = await call('POST', '/alarms/{id}/acknowledge', writeKey, {
      params: { id: open.id },
      json: { actorId: userId },
    });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toEqual({ id: open.id, status: 'acknowledged', announced: true });
    const again = await call('POST', '/alarms/{id}/acknowledge', writeKey, {
      params: { id: open.id },
      json: { actorId: userId },
    });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('conflict');
    const clear = await call('POST', '/alarms/{id}/clear', writeKey, {
      params: { id: open.id },
      json: { actorId: userId },
    });
    expect(await clear.json()).toMatchObject({ status: 'cleared' });

    const row = await prisma.alarm.findUniqueOrThrow({ where: { id: open.id } });
    expect(row).toMatchObject({ acknowledgedBy: userId, clearedBy: userId });
    const audit = await prisma.auditLog.findMany({ where: { entityId: open.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType, (a.data as { userId?: string }).userId])).toEqual([
      ['alarm.acknowledged', 'api-key', userId],
      ['alarm.cleared', 'api-key', userId],
    ]);
    // notify announces the changes from the alarm-event jobs.
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(
      jobs
        .filter((j) => j.data.alarmId === open.id)
        .map((j) => j.data.event)
        .sort(),
    ).toEqual(['acknowledged', 'cleared']);
  });

  it("words a built-in rule's alarm in the client's language, else the organization's, else English", async () => {
    const coded = await prisma.alarm.create({
      data: {
        orgId,
        meterId,
        type: 'threshold',
        severity: 'major',
        message: 'reading 120 is above 100',
        messageCode: 'threshold.above',
        messageParams: { value: '120', limit: 100 },
      },
    });
    const plugin = await prisma.alarm.create({
      data: { orgId, meterId, type: 'acme-check', severity: 'minor', message: 'Acme says hi' },
    });
    const listed = async (headers?: Record<string, string>) => {
      const page = AlarmPageSchema.parse(
        await (await call('GET', '/alarms', readKey, { query: `meterId=${meterId}&status=active`, headers })).json(),
      );
      return Object.fromEntries(page.items.map((a) => [a.id, a]));
    };
    try {
      const english = await listed();
      expect(english[coded.id]).toMatchObject({
        message: 'reading 120 is above 100',
        messageCode: 'threshold.above',
        messageParams: { value: '120', limit: 100 },
        messageLocale: 'en',
        localizedMessage: 'reading 120 is above 100',
      });
      const korean = await listed({ 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' });
      expect(korean[coded.id]).toMatchObject({ messageLocale: 'ko', localizedMessage: '검침값 120, 상한 100 초과' });
      // A plugin's own text has no code: every language gets it as written.
      expect(korean[plugin.id]).toMatchObject({ messageCode: null, messageParams: null, localizedMessage: 'Acme says hi' });

      await prisma.organization.update({ where: { id: orgId }, data: { defaultLocale: 'ko' } });
      expect((await listed())[coded.id]).toMatchObject({ messageLocale: 'ko', localizedMessage: '검침값 120, 상한 100 초과' });
      expect((await listed({ 'accept-language': 'en-US' }))[coded.id]).toMatchObject({ messageLocale: 'en' });
    } finally {
      await prisma.organization.update({ where: { id: orgId }, data: { defaultLocale: null } });
      await prisma.alarm.deleteMany({ where: { id: { in: [coded.id, plugin.id] } } });
    }
  });
});

describe('/api/v1 rate limit', () => {
  it('gives each key API_RATE_LIMIT requests per window, then 429 with Retry-After', async () => {
    const key = await newKey(['read']);
    const other = await newKey(['read']);
    for (let i = 1; i <= RATE_LIMIT; i++) {
      const res = await call('GET', '/meters', key, { query: 'limit=1' });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(RATE_LIMIT - i));
      expect(res.headers.get('ratelimit-limit')).toBe(String(RATE_LIMIT));
    }
    const limited = await call('GET', '/meters', key);
    expect(limited.status).toBe(429);
    expect((await errorOf(limited)).code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    // Another key of the same organization has a window of its own.
    expect((await call('GET', '/meters', other)).status).toBe(200);
  });
});

describe('/api/v1 bodies under arbitrary input', () => {
  it.each([
    ['POST', '/rules'],
    ['PATCH', '/rules/{id}'],
    ['POST', '/alarms/{id}/acknowledge'],
  ])('%s %s: no 5xx, and a refused request changes nothing', async (method, path) => {
    const rule = await prisma.rule.create({ data: { orgId, type: 'threshold', config: { above: 1 } } });
    const alarm = await prisma.alarm.create({
      data: { orgId, meterId, type: 'fuzz', severity: 'minor', message: 'Fuzzed' },
    });
    const id = path.startsWith('/rules') ? rule.id : alarm.id;
    const snapshot = () =>
      Promise.all([
        prisma.rule.findMany({ where: { orgId }, orderBy: { id: 'asc' } }),
        prisma.alarm.findMany({ where: { orgId }, orderBy: { id: 'asc' } }),
        prisma.auditLog.count(),
      ]);
    const field = fc.constantFrom(
      'type',
      'config',
      'severity',
      'enabled',
      'actions',
      'meterId',
      'group',
      'actorId',
    );
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.dictionary(field, fc.jsonValue(), { maxKeys: 5 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const before = await snapshot();
        // A key per request: the property's runs would use up one key's rate limit.
        const res = await call(method, path, await newKey(['read', 'write']), {
          params: { id },
          body: text,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, text).toBeLessThan(500);
        if (res.status >= 400) {
          expect(ErrorSchema.safeParse(await res.json()).success, text).toBe(true);
          expect(await snapshot(), text).toEqual(before);
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});
