import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveChannel, type LiveEvent } from '@metertwin/contracts';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { LiveHub, liveEventStream } from '../src/lib/live';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let publisher: Redis;
let hub: LiveHub;

beforeAll(() => {
  publisher = new Redis(REDIS_URL);
  hub = new LiveHub(REDIS_URL);
});

afterAll(async () => {
  await hub?.close();
  await publisher?.quit();
});

function readingStored(meterId: string, value: string): LiveEvent {
  return {
    v: 1,
    type: 'reading.stored',
    meterId,
    readingId: randomUUID(),
    captureId: randomUUID(),
    value,
    status: 'accepted',
    at: new Date().toISOString(),
  };
}

/** Reads the SSE body until `until` matches the text received so far. */
async function readUntil(
  body: ReadableStream<Uint8Array>,
  until: (text: string) => boolean,
  timeoutMs = 5000,
) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!until(text)) {
    if (Date.now() > deadline) throw new Error(`timed out; got:\n${text}`);
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe('live events', () => {
  it('streams one meter’s events from the Redis channel as server-sent events', async () => {
    const mine = randomUUID();
    const other = randomUUID();
    const abort = new AbortController();
    const res = await liveEventStream(hub, { meterId: mine, signal: abort.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('no-cache');

    await publisher.publish(LiveChannel, JSON.stringify(readingStored(other, '00001')));
    await publisher.publish(LiveChannel, 'not json');
    await publisher.publish(LiveChannel, JSON.stringify({ v: 1, type: 'reading.stored', meterId: mine }));
    const event = readingStored(mine, '01234.567');
    await publisher.publish(LiveChannel, JSON.stringify(event));

    const text = await readUntil(res.body!, (t) => t.includes('01234.567'));
    expect(text).toContain('retry: 5000');
    expect(text).toContain(`event: reading.stored\ndata: ${JSON.stringify(event)}\n\n`);
    expect(text).not.toContain(other);
    expect(hub.listenerCount).toBe(1);

    abort.abort();
    expect(hub.listenerCount).toBe(0);
  });

  it('streams every meter without a filter, through one shared subscriber', async () => {
    const a = await liveEventStream(hub, { signal: new AbortController().signal });
    const b = await liveEventStream(hub, { signal: new AbortController().signal });
    const [m1, m2] = [randomUUID(), randomUUID()];
    await publisher.publish(LiveChannel, JSON.stringify(readingStored(m1, '11111')));
    await publisher.publish(LiveChannel, JSON.stringify(readingStored(m2, '22222')));
    for (const res of [a, b]) {
      const text = await readUntil(res.body!, (t) => t.includes(m1) && t.includes(m2));
      expect(text.indexOf(m1)).toBeLessThan(text.indexOf(m2));
      await res.body!.cancel();
    }
    expect(hub.listenerCount).toBe(0);
  });

  it('fails fast when Redis cannot be reached, so the route can answer 503', async () => {
    const dead = new LiveHub('redis://127.0.0.1:1');
    await expect(liveEventStream(dead, { signal: new AbortController().signal })).rejects.toThrow();
    expect(dead.listenerCount).toBe(0);
    await dead.close();
  });
});

describe('GET /api/events (scoped to the organization)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let GET: typeof import('../src/app/api/events/route').GET;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    process.env.REDIS_URL = REDIS_URL;
    ({ GET } = await import('../src/app/api/events/route'));
    prisma = createPrismaClient(db.url);
  });

  afterAll(async () => {
    const g = globalThis as { __mtPrisma?: PrismaClient; __mtLiveHub?: LiveHub };
    await g.__mtLiveHub?.close();
    await g.__mtPrisma?.$disconnect();
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('streams only the signed-in user’s organization’s meters, and refuses others', async () => {
    const [orgA, orgB] = [await createOrg(prisma), await createOrg(prisma)];
    const mine = (await prisma.meter.create({ data: { orgId: orgA, name: 'A', digits: 5 } })).id;
    const theirs = (await prisma.meter.create({ data: { orgId: orgB, name: 'B', digits: 5 } })).id;
    const cookie = await sessionCookie(
      prisma,
      (await createUser(prisma, { orgId: orgA, role: 'viewer' })).id,
    );

    expect((await GET(apiRequest('/api/events', { cookie: null }))).status).toBe(401);
    expect((await GET(apiRequest(`/api/events?meterId=${theirs}`, { cookie }))).status).toBe(404);

    const abort = new AbortController();
    const res = await GET(new Request(apiRequest('/api/events', { cookie }), { signal: abort.signal }));
    expect(res.status).toBe(200);
    // Onboarded after the stream opened: still delivered, looked up on first sight.
    const later = (await prisma.meter.create({ data: { orgId: orgA, name: 'A2', digits: 5 } })).id;
    await publisher.publish(LiveChannel, JSON.stringify(readingStored(theirs, '99999')));
    await publisher.publish(LiveChannel, JSON.stringify(readingStored(mine, '00042')));
    await publisher.publish(LiveChannel, JSON.stringify(readingStored(later, '00043')));
    const text = await readUntil(res.body!, (t) => t.includes('00042') && t.includes('00043'));
    expect(text).not.toContain(theirs);
    expect(text).not.toContain('99999');
    abort.abort();
  });
});
