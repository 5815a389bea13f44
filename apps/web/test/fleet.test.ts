import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { listFleetPage, parseFleetQuery, type FleetQuery } from '../src/lib/fleet';
import { createOrg, createReading } from './fixtures';

let db: TestDatabase;
let prisma: PrismaClient;
let orgId: string;
let otherOrgId: string;
const ids: Record<string, string> = {};

// 14:30 UTC: already "tomorrow" (00:30) in Tokyo (UTC+9), still 09:30 in New York (UTC−5).
const now = new Date('2026-11-24T14:30:00Z');
const at = (iso: string) => new Date(iso);
const query = (q: Partial<FleetQuery> = {}): FleetQuery => ({ ...parseFleetQuery({}), ...q });

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  otherOrgId = await createOrg(prisma);

  const meter = async (name: string, data: Record<string, unknown> = {}) => {
    const m = await prisma.meter.create({ data: { orgId, name, digits: 6, decimals: 3, ...data } });
    ids[name] = m.id;
    return m.id;
  };
  const tokyo = await meter('Tokyo', { timeZone: 'Asia/Tokyo', location: 'Plant A', group: 'east' });
  const ny = await meter('New York', { timeZone: 'America/New_York', location: 'Plant B', group: 'west' });
  const cellar = await meter('cellar pump', { location: 'Plant A' });
  await meter('Zeta 100%_x', { location: 'Plant B', group: 'west' });
  await prisma.meter.create({ data: { orgId: otherOrgId, name: 'Tokyo elsewhere', digits: 5 } });

  // Tokyo's day began at 15:00 UTC yesterday; New York's at 05:00 UTC today.
  for (const [id, readings] of [
    [
      tokyo,
      [
        ['2026-11-23T14:00:00Z', '1'],
        ['2026-11-23T16:00:00Z', '2'],
        ['2026-11-24T14:00:00Z', '4'],
      ],
    ],
    [
      ny,
      [
        ['2026-11-24T04:00:00Z', '10'],
        ['2026-11-24T06:00:00Z', '20'],
        ['2026-11-24T13:10:00Z', '30'],
      ],
    ],
  ] as const) {
    for (const [takenAt, consumption] of readings) {
      await createReading(prisma, id, { takenAt: at(takenAt), value: '000001.000', consumption });
    }
  }
  // A rejected reading neither counts for today nor hides the accepted ones; it is the latest though.
  await createReading(prisma, ny, {
    takenAt: at('2026-11-24T14:00:00Z'),
    value: '000000.500',
    status: 'needs_review',
    consumption: '500',
  });

  await prisma.device.create({
    data: { meterId: tokyo, name: 'cam', pullIntervalSec: 60, lastSeenAt: at('2026-11-24T14:29:00Z') },
  });
  await prisma.device.create({
    data: { meterId: ny, name: 'cam', pullIntervalSec: 60, lastSeenAt: at('2026-11-24T14:00:00Z') },
  });
  await prisma.device.create({
    data: {
      meterId: cellar,
      name: 'cam',
      pullIntervalSec: 60,
      lastSeenAt: at('2026-11-24T14:00:00Z'),
      lastError: 'HTTP 401 from camera',
      lastErrorAt: at('2026-11-24T14:29:30Z'),
    },
  });
  await prisma.alarm.create({
    data: { orgId, meterId: cellar, type: 'leak', severity: 'major', message: 'leak' },
  });
  await prisma.alarm.create({
    data: { orgId, meterId: cellar, type: 'x', severity: 'minor', message: 'x', status: 'cleared' },
  });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe('listFleetPage', () => {
  it('hides archived meters unless asked for them (?archived=1), and says which are archived', async () => {
    const archivedOrg = await createOrg(prisma);
    await prisma.meter.create({ data: { orgId: archivedOrg, name: 'In service', digits: 5 } });
    const archivedAt = at('2026-11-20T08:00:00Z');
    await prisma.meter.create({ data: { orgId: archivedOrg, name: 'Retired', digits: 5, archivedAt } });
    const hidden = await listFleetPage(prisma, archivedOrg, query(), { now });
    expect([hidden.total, hidden.tiles.map((t) => t.name)]).toEqual([1, ['In service']]);
    const shown = await listFleetPage(prisma, archivedOrg, parseFleetQuery({ archived: '1' }), { now });
    expect(shown.tiles.map((t) => [t.name, t.archivedAt])).toEqual([['In service', null], ['Retired', archivedAt]]);
    expect(parseFleetQuery({ archived: 'yes' }).archived).toBeUndefined();
  });

  it("lists only the organization's meters with latest reading, today in each meter's zone, camera health and alarms", async () => {
    const page = await listFleetPage(prisma, orgId, query(), { now });
    expect(page.tiles.map((t) => t.name)).toEqual(['cellar pump', 'New York', 'Tokyo', 'Zeta 100%_x']);
    expect(page.total).toBe(4);
    const byName = Object.fromEntries(page.tiles.map((t) => [t.name, t]));
    expect(byName['Tokyo']!.today).toBe(6);
    expect(byName['New York']!.today).toBe(50);
    expect(byName['New York']!.latest?.status).toBe('needs_review');
    expect(byName['Tokyo']!.camera.health).toBe('online');
    expect(byName['New York']!.camera.health).toBe('stale');
    expect(byName['cellar pump']!.camera).toMatchObject({ health: 'failing', error: 'HTTP 401 from camera' });
    expect(byName['Zeta 100%_x']!.camera.health).toBe('none');
    expect(byName['cellar pump']!.activeAlarms).toBe(1);
    expect(page.locations).toEqual(['Plant A', 'Plant B']);
    expect(page.groups).toEqual(['east', 'west']);
  });

  it('draws the last 24 hours of consumption per hour as the sparkline', async () => {
    const page = await listFleetPage(prisma, orgId, query({ q: 'new york' }), { now });
    const spark = page.tiles[0]!.sparkline;
    expect(spark).toHaveLength(24);
    // Slots end with the hour holding `now` (14:00): 13:10 is one slot before, 04:00 ten before.
    expect(spark[23]).toBe(0);
    expect(spark[22]).toBe(30);
    expect(spark[13]).toBe(10);
    expect(spark.reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('searches name, location and group, with LIKE wildcards taken literally', async () => {
    const names = async (q: string) =>
      (await listFleetPage(prisma, orgId, query({ q }), { now })).tiles.map((t) => t.name);
    expect(await names('TOKYO')).toEqual(['Tokyo']);
    expect(await names('plant a')).toEqual(['cellar pump', 'Tokyo']);
    expect(await names('west')).toEqual(['New York', 'Zeta 100%_x']);
    expect(await names('%')).toEqual(['Zeta 100%_x']);
    expect(await names('_')).toEqual(['Zeta 100%_x']);
  });

  it('filters by status, location and group', async () => {
    const names = async (q: Partial<FleetQuery>) =>
      (await listFleetPage(prisma, orgId, query(q), { now })).tiles.map((t) => t.name);
    expect(await names({ status: 'alarm' })).toEqual(['cellar pump']);
    expect(await names({ status: 'failing' })).toEqual(['cellar pump']);
    expect(await names({ status: 'stale' })).toEqual(['New York']);
    expect(await names({ status: 'online' })).toEqual(['Tokyo']);
    expect(await names({ status: 'review' })).toEqual(['New York']);
    expect(await names({ status: 'no-reading' })).toEqual(['cellar pump', 'Zeta 100%_x']);
    expect(await names({ status: 'no-camera' })).toEqual(['Zeta 100%_x']);
    expect(await names({ location: 'Plant A' })).toEqual(['cellar pump', 'Tokyo']);
    expect(await names({ group: 'west', status: 'stale' })).toEqual(['New York']);
  });

  it('sorts by last reading, today and alarms', async () => {
    const names = async (sort: FleetQuery['sort']) =>
      (await listFleetPage(prisma, orgId, query({ sort }), { now })).tiles.map((t) => t.name);
    expect(await names('last')).toEqual(['New York', 'Tokyo', 'cellar pump', 'Zeta 100%_x']);
    expect(await names('today')).toEqual(['New York', 'Tokyo', 'cellar pump', 'Zeta 100%_x']);
    expect((await names('alarms'))[0]).toBe('cellar pump');
  });

  it('pages, and a page past the end still reports the total', async () => {
    const p1 = await listFleetPage(prisma, orgId, query({ page: 1 }), { now, pageSize: 3 });
    const p2 = await listFleetPage(prisma, orgId, query({ page: 2 }), { now, pageSize: 3 });
    const p9 = await listFleetPage(prisma, orgId, query({ page: 9 }), { now, pageSize: 3 });
    expect(p1.tiles).toHaveLength(3);
    expect(p2.tiles.map((t) => t.name)).toEqual(['Zeta 100%_x']);
    expect([p1.pages, p2.total, p9.total, p9.tiles.length]).toEqual([2, 4, 4, 0]);
  });

  it('reads the URL query leniently: bad values become defaults', () => {
    expect(
      parseFleetQuery({ q: ' pump ', status: 'bogus', sort: 'x', page: '-3', location: 'Plant A' }),
    ).toEqual({
      q: 'pump',
      status: undefined,
      location: 'Plant A',
      group: undefined,
      sort: 'name',
      page: 1,
    });
    expect(parseFleetQuery({ status: 'failing', sort: 'today', page: '3' })).toMatchObject({
      status: 'failing',
      sort: 'today',
      page: 3,
    });
  });
});
