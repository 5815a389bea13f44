import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { csvField, READINGS_CSV_HEADER } from '../src/lib/csv';
import { exportReadings } from '../src/lib/meters';
import { createOrg, createReading } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

// The real route module, configured through the environment like `next start`.
let GET: typeof import('../src/app/api/meters/[id]/readings.csv/route').GET;
let db: TestDatabase;
let prisma: PrismaClient;
let meterId: string;
let cookie: string;
let otherOrgCookie: string;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  ({ GET } = await import('../src/app/api/meters/[id]/readings.csv/route'));
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  meterId = (await prisma.meter.create({ data: { orgId, name: 'CSV', digits: 8, decimals: 3 } })).id;
  cookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
  const otherOrg = await createUser(prisma, { orgId: await createOrg(prisma), role: 'admin' });
  otherOrgCookie = await sessionCookie(prisma, otherOrg.id);
  await createReading(prisma, meterId, {
    takenAt: new Date('2026-03-01T10:00:00Z'),
    value: '00120.000',
    numeric: '120',
    confidence: 0.97,
  });
  await createReading(prisma, meterId, {
    takenAt: new Date('2026-03-01T11:30:00Z'),
    value: '00121.500',
    numeric: '121.5',
    consumption: '1.5',
    flowPerHour: 1,
    status: 'corrected',
    confidence: 0.81,
    reason: 'digit 6 corrected 9 → 1, "monotonic", history',
  });
  await createReading(prisma, meterId, {
    takenAt: new Date('2026-03-02T08:00:00Z'),
    value: null,
    status: 'rejected',
    confidence: 0.2,
    reason: 'unreadable',
  });
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

const call = (id: string, query = '', as: string | null = cookie) =>
  GET(apiRequest(`/api/meters/${id}/readings.csv${query}`, { cookie: as }), {
    params: Promise.resolve({ id }),
  });

describe('GET /api/meters/[id]/readings.csv', () => {
  it('streams every reading oldest first as CSV under the documented header', async () => {
    const res = await call(meterId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="meter-${meterId}-readings.csv"`,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const lines = (await res.text()).split('\r\n');
    expect(lines).toEqual([
      'taken_at,value,numeric,status,confidence,consumption,flow_per_hour,reason',
      '2026-03-01T10:00:00.000Z,00120.000,120,accepted,0.97,,,',
      '2026-03-01T11:30:00.000Z,00121.500,121.5,corrected,0.81,1.5,1,"digit 6 corrected 9 → 1, ""monotonic"", history"',
      '2026-03-02T08:00:00.000Z,,,rejected,0.2,,,unreadable',
      '',
    ]);
    expect(lines[0]).toBe(READINGS_CSV_HEADER);
  });

  it('limits to taken_at in [from, to)', async () => {
    const res = await call(meterId, '?from=2026-03-01T11:00:00Z&to=2026-03-02T08:00:00Z');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^2026-03-01T11:30:00.000Z,/);

    const fromDay = (await (await call(meterId, '?from=2026-03-02')).text()).trim().split('\r\n');
    expect(fromDay.slice(1).map((l) => l.slice(0, 10))).toEqual(['2026-03-02']);
  });

  it('answers 404 for an unknown meter and 400 for a bad date', async () => {
    const unknown = await call('00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^text\/plain/);
    const bad = await call(meterId, '?from=yesterday');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/not a date: yesterday/);
  });

  it("needs a session, and another organization's meter is not found", async () => {
    expect((await call(meterId, '', null)).status).toBe(401);
    const other = await call(meterId, '', otherOrgCookie);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('meter not found\n');
  });

  it('pages through the readings in batches without losing or repeating any', async () => {
    const seen: string[] = [];
    let batches = 0;
    for await (const batch of exportReadings(prisma, meterId, {}, 2)) {
      batches += 1;
      seen.push(...batch.map((r) => r.takenAt.toISOString()));
    }
    expect(batches).toBe(2);
    expect(seen).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T11:30:00.000Z',
      '2026-03-02T08:00:00.000Z',
    ]);
  });

  it('quotes fields holding commas, quotes or line breaks', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
});
