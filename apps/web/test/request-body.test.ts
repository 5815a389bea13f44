import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, waitFor, type TestDatabase } from '@metertwin/testing';
import { JSON_BODY_MAX_BYTES, readFormBody, readJsonBody } from '../src/lib/request-body';
import { createOrg } from './fixtures';
import { createUser, sessionCookie } from './support/auth';

const CHUNK = 16 * 1024;
/** Where the endless body gives up: a reader that never stops fails here instead of eating the memory. */
const RUNAWAY_BYTES = 64 * 1024 * 1024;

/** A body that never ends: 16 KiB chunks on demand, counting what was pulled and whether it was cancelled. */
function endlessBody(fill = ' ') {
  const state = { pulled: 0, cancelled: false };
  const chunk = new TextEncoder().encode(fill.repeat(CHUNK));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= RUNAWAY_BYTES) return controller.error(new Error('the reader did not stop'));
        state.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    // Nothing is pulled before someone reads: `pulled` is exactly what the reader asked for.
    { highWaterMark: 0 },
  );
  return { stream, state };
}

function post(body: BodyInit | null, headers: Record<string, string>, url = 'http://portal.test/x'): Request {
  return new Request(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
}

const Schema = z.object({ name: z.string().min(1), count: z.number().int() });

describe('readJsonBody', () => {
  it('answers 413 for a body that never ends after reading little more than the cap, then cancels it', async () => {
    const { stream, state } = endlessBody();
    const res = (await readJsonBody(
      post(stream, { 'content-type': 'application/json' }),
      Schema,
      100_000,
    )) as Response;
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'body larger than 100000 bytes', code: 'body-too-large', params: { maxBytes: 100_000 } });
    expect(state.pulled).toBeGreaterThan(100_000);
    expect(state.pulled).toBeLessThanOrEqual(100_000 + CHUNK);
    // Cancelled a moment after the 413 (so a real client gets to read it); nothing more is read.
    await waitFor(async () => state.cancelled, { timeoutMs: 3000, what: 'the body to be cancelled' });
    expect(state.pulled).toBeLessThanOrEqual(100_000 + CHUNK);
  });

  it('caps small JSON routes at 64 KiB by default', async () => {
    const { stream, state } = endlessBody();
    const res = (await readJsonBody(
      post(stream, { 'content-type': 'application/json' }),
      Schema,
    )) as Response;
    expect(res.status).toBe(413);
    expect(JSON_BODY_MAX_BYTES).toBe(64 * 1024);
    expect(state.pulled).toBeLessThanOrEqual(JSON_BODY_MAX_BYTES + CHUNK);
  });

  it('answers 413 for a larger Content-Length without reading the body', async () => {
    const { stream, state } = endlessBody();
    const res = (await readJsonBody(
      post(stream, { 'content-type': 'application/json', 'content-length': '200000000' }),
      Schema,
      1000,
    )) as Response;
    expect(res.status).toBe(413);
    expect(state.pulled).toBe(0);
  });

  it('answers 415 with the expected type for another or a missing Content-Type', async () => {
    const body = JSON.stringify({ name: 'a', count: 1 });
    const text = (await readJsonBody(post(body, { 'content-type': 'text/plain' }), Schema)) as Response;
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({
      error: 'send the body as application/json (Content-Type was "text/plain")',
      code: 'wrong-content-type',
      params: { expected: 'application/json' },
    });
    const none = new Request('http://portal.test/x', { method: 'POST', body: new Uint8Array([123, 125]) });
    const missing = (await readJsonBody(none, Schema)) as Response;
    expect(missing.status).toBe(415);
    expect((await missing.json()).error).toBe('send the body as application/json (Content-Type was missing)');
  });

  it('reads a chunked body under the cap; 400 for broken JSON or data the schema refuses', async () => {
    const parts = ['{"name":', '"meter",', '"count": 3}'].map((p) => new TextEncoder().encode(p));
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const json = { 'content-type': 'application/json; charset=utf-8' };
    expect(await readJsonBody(post(chunked, json), Schema)).toEqual({ name: 'meter', count: 3 });
    const broken = (await readJsonBody(post('{"name":', json), Schema)) as Response;
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'expected a JSON body', code: 'body-not-json' });
    const notUtf8 = (await readJsonBody(post(new Uint8Array([0x22, 0xff, 0x22]), json), Schema)) as Response;
    expect(notUtf8.status).toBe(400);
    const refused = (await readJsonBody(post('{"name":"","count":1.5}', json), Schema)) as Response;
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/^name: .+; count: .+/);
  });
});

describe('readFormBody', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('answers 413 for a form that never ends, after reading little more than the cap', async () => {
    const { stream, state } = endlessBody('a');
    const res = (await readFormBody(post(stream, form), 8192)) as Response;
    expect(res.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(8192 + CHUNK);
    await waitFor(async () => state.cancelled, { timeoutMs: 3000, what: 'the body to be cancelled' });
  });

  it('reads the fields; 415 for multipart or JSON', async () => {
    const fields = (await readFormBody(
      post('email=a%40b.test&next=%2Fmeters%3Fx%3D1', form),
      8192,
    )) as URLSearchParams;
    expect(Object.fromEntries(fields)).toEqual({ email: 'a@b.test', next: '/meters?x=1' });
    const multipart = new FormData();
    multipart.set('email', 'a@b.test');
    const refused = (await readFormBody(
      new Request('http://portal.test/x', { method: 'POST', body: multipart }),
      8192,
    )) as Response;
    expect(refused.status).toBe(415);
    expect((await refused.json()).error).toMatch(
      /^send the body as application\/x-www-form-urlencoded \(Content-Type was "multipart\/form-data; boundary=/,
    );
    const json = (await readFormBody(post('{}', { 'content-type': 'application/json' }), 8192)) as Response;
    expect(json.status).toBe(415);
  });
});

describe('every route that takes a body refuses an endless one', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let cookie: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    prisma = createPrismaClient(db.url);
    cookie = await sessionCookie(
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

  type Handler = (
    request: Request,
    context: { params: Promise<Record<string, string>> },
  ) => Promise<Response>;
  const params = { params: Promise.resolve({ id: '00000000-0000-0000-0000-000000000000' }) };
  const MiB = 1024 * 1024;

  // [path, method, the cap the route promises, its module]
  const routes: [string, string, number, () => Promise<Record<string, unknown>>][] = [
    ['/api/auth/signin', 'POST', 8 * 1024, () => import('../src/app/api/auth/signin/route')],
    [
      '/api/readings/:id/review',
      'POST',
      64 * 1024,
      () => import('../src/app/api/readings/[id]/review/route'),
    ],
    ['/api/rules', 'POST', 64 * 1024, () => import('../src/app/api/rules/route')],
    ['/api/rules/:id', 'PUT', 64 * 1024, () => import('../src/app/api/rules/[id]/route')],
    [
      '/api/actuators/:id/commands',
      'POST',
      64 * 1024,
      () => import('../src/app/api/actuators/[id]/commands/route'),
    ],
    [
      '/api/actuators/:id/override',
      'PUT',
      64 * 1024,
      () => import('../src/app/api/actuators/[id]/override/route'),
    ],
    ['/api/me/preferences', 'PUT', 64 * 1024, () => import('../src/app/api/me/preferences/route')],
    ['/api/me/push-devices', 'POST', 64 * 1024, () => import('../src/app/api/me/push-devices/route')],
    ['/api/me/push-devices', 'DELETE', 64 * 1024, () => import('../src/app/api/me/push-devices/route')],
    ['/api/me/web-push', 'POST', 64 * 1024, () => import('../src/app/api/me/web-push/route')],
    ['/api/me/web-push', 'DELETE', 64 * 1024, () => import('../src/app/api/me/web-push/route')],
    [
      '/api/organization/device-networks',
      'PUT',
      16 * 1024,
      () => import('../src/app/api/organization/device-networks/route'),
    ],
    ['/api/organization/api-keys', 'POST', 4 * 1024, () => import('../src/app/api/organization/api-keys/route')],
    // The onboarding snapshot travels as base64 in the JSON: twice SNAPSHOT_MAX_BYTES (10 MiB).
    ['/api/onboard', 'POST', 20 * MiB, () => import('../src/app/api/onboard/route')],
    ['/api/onboard/snapshot', 'POST', 20 * MiB, () => import('../src/app/api/onboard/snapshot/route')],
    ['/api/onboard/preview', 'POST', 20 * MiB, () => import('../src/app/api/onboard/preview/route')],
  ];

  it.each(routes)('%s %s', async (url, method, cap, load) => {
    const handler = (await load())[method] as Handler;
    const { stream, state } = endlessBody();
    const contentType = url === '/api/auth/signin' ? 'application/x-www-form-urlencoded' : 'application/json';
    const request = new Request(`http://portal.test${url}`, {
      method,
      headers: { 'content-type': contentType, cookie, origin: 'http://portal.test', host: 'portal.test' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const res = await handler(request, params);
    expect(res.status).toBe(413);
    expect(state.pulled).toBeGreaterThan(cap);
    expect(state.pulled).toBeLessThanOrEqual(cap + CHUNK);
  });
});
