import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { getConsumptionHistory } from '../src/lib/meters';
import { createOrg, createReading } from './fixtures';

let db: TestDatabase;
let prisma: PrismaClient;
let meterId: string;
let otherMeterId: string;

// A fixed "now" so buckets are predictable: 2026-03-10 14:25 UTC.
const NOW = new Date('2026-03-10T14:25:00Z');
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  meterId = (await prisma.meter.create({ data: { orgId, name: 'History', digits: 8, decimals: 3 } })).id;
  otherMeterId = (await prisma.meter.create({ data: { orgId, name: 'Other', digits: 8, decimals: 3 } })).id;

  const series: Array<{
    takenAt: string;
    numeric: string | null;
    consumption: string | null;
    status?: 'accepted' | 'corrected' | 'needs_review' | 'rejected';
  }> = [
    // Last year, December: outside the 48 h and 60 d ranges, inside 24 months.
    { takenAt: '2025-12-15T08:00:00Z', numeric: '100.000', consumption: null },
    { takenAt: '2025-12-31T23:59:00Z', numeric: '110.500', consumption: '10.5' },
    // February.
    { takenAt: '2026-02-01T00:00:00Z', numeric: '112.000', consumption: '1.5' },
    { takenAt: '2026-02-28T12:00:00Z', numeric: '120.000', consumption: '8', status: 'corrected' },
    // 9 March, 13:xx: two readings in one hour, one rejected in between (never counted).
    { takenAt: '2026-03-09T13:10:00Z', numeric: '121.000', consumption: '1' },
    { takenAt: '2026-03-09T13:20:00Z', numeric: '999.000', consumption: '878', status: 'rejected' },
    { takenAt: '2026-03-09T13:50:00Z', numeric: '121.250', consumption: '0.25' },
    // 10 March: 09:xx accepted, 10:xx needs review only, 14:xx (the current hour) accepted.
    { takenAt: '2026-03-10T09:05:00Z', numeric: '122.000', consumption: '0.75' },
    { takenAt: '2026-03-10T10:30:00Z', numeric: '123.000', consumption: '1', status: 'needs_review' },
    { takenAt: '2026-03-10T14:00:00Z', numeric: '122.500', consumption: '0.5' },
    // After "now": not in any range.
    { takenAt: '2026-03-10T14:40:00Z', numeric: '123.000', consumption: '0.5' },
  ];
  for (const r of series) {
    await createReading(prisma, meterId, {
      takenAt: at(r.takenAt),
      value: r.numeric,
      numeric: r.numeric,
      consumption: r.consumption,
      status: r.status ?? 'accepted',
    });
  }
  // Another meter's readings never leak in.
  await createReading(prisma, otherMeterId, {
    takenAt: at('2026-03-10T14:10:00Z'),
    value: '5',
    numeric: '5',
    consumption: '100',
  });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe('getConsumptionHistory', () => {
  it('sums consumption of accepted and corrected readings per hour over 48 buckets', async () => {
    const hours = await getConsumptionHistory(prisma, meterId, 'hour', { now: NOW });
    expect(hours).toHaveLength(48);
    expect(hours[0]!.start.toISOString()).toBe('2026-03-08T15:00:00.000Z');
    expect(hours.at(-1)!.start.toISOString()).toBe('2026-03-10T14:00:00.000Z');
    expect(hours.at(-1)!.end.toISOString()).toBe('2026-03-10T15:00:00.000Z');

    const byStart = new Map(hours.map((h) => [h.start.toISOString(), h]));
    const h13 = byStart.get('2026-03-09T13:00:00.000Z')!;
    expect(h13.consumption).toBeCloseTo(1.25, 6);
    expect(h13.counter).toBe(121.25);
    expect(h13.readings).toBe(3);
    expect(h13.takenAt?.toISOString()).toBe('2026-03-09T13:50:00.000Z');

    expect(byStart.get('2026-03-10T09:00:00.000Z')).toMatchObject({ consumption: 0.75, counter: 122 });
    // Only a reading waiting for review: no consumption, no counter, but its photo is still reachable.
    const h10 = byStart.get('2026-03-10T10:00:00.000Z')!;
    expect(h10).toMatchObject({ consumption: 0, counter: null, readings: 1 });
    expect(h10.captureId).not.toBeNull();
    // The current hour holds the reading at 14:00, not the one after now (14:40) nor the other meter's.
    expect(byStart.get('2026-03-10T14:00:00.000Z')).toMatchObject({
      consumption: 0.5,
      counter: 122.5,
      readings: 1,
    });
    // Empty hours are present with zero consumption.
    expect(byStart.get('2026-03-10T11:00:00.000Z')).toMatchObject({
      consumption: 0,
      counter: null,
      captureId: null,
      readings: 0,
    });
    const total = hours.reduce((s, h) => s + h.consumption, 0);
    expect(total).toBeCloseTo(1.25 + 0.75 + 0.5, 6);
  });

  it('sums per day over 60 buckets', async () => {
    const days = await getConsumptionHistory(prisma, meterId, 'day', { now: NOW });
    expect(days).toHaveLength(60);
    expect(days[0]!.start.toISOString()).toBe('2026-01-10T00:00:00.000Z');
    const byStart = new Map(days.map((d) => [d.start.toISOString().slice(0, 10), d]));
    expect(byStart.get('2026-02-01')).toMatchObject({ consumption: 1.5, counter: 112 });
    expect(byStart.get('2026-02-28')).toMatchObject({ consumption: 8, counter: 120, readings: 1 });
    expect(byStart.get('2026-03-09')).toMatchObject({ consumption: 1.25, counter: 121.25, readings: 3 });
    expect(byStart.get('2026-03-10')).toMatchObject({ consumption: 1.25, counter: 122.5, readings: 3 });
    expect(days.reduce((s, d) => s + d.consumption, 0)).toBeCloseTo(1.5 + 8 + 1.25 + 1.25, 6);
  });

  it('sums per month over 24 buckets, months of uneven length included', async () => {
    const months = await getConsumptionHistory(prisma, meterId, 'month', { now: NOW });
    expect(months).toHaveLength(24);
    expect(months[0]!.start.toISOString()).toBe('2024-04-01T00:00:00.000Z');
    const byStart = new Map(months.map((m) => [m.start.toISOString().slice(0, 7), m]));
    // 31 Dec 23:59 UTC still belongs to December.
    expect(byStart.get('2025-12')).toMatchObject({ consumption: 10.5, counter: 110.5, readings: 2 });
    expect(byStart.get('2026-01')).toMatchObject({ consumption: 0, counter: null, readings: 0 });
    expect(byStart.get('2026-02')).toMatchObject({ consumption: 9.5, counter: 120, readings: 2 });
    expect(byStart.get('2026-02')!.end.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(byStart.get('2026-03')).toMatchObject({ consumption: 2.5, counter: 122.5, readings: 6 });
  });

  it('gives empty buckets for a meter without readings', async () => {
    const orgId = (await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).orgId;
    const empty = await prisma.meter.create({ data: { orgId, name: 'Empty', digits: 5 } });
    const days = await getConsumptionHistory(prisma, empty.id, 'day', { now: NOW });
    expect(days).toHaveLength(60);
    expect(days.every((d) => d.consumption === 0 && d.counter === null && d.readings === 0)).toBe(true);
  });

  it("buckets days and months in the meter's time zone, DST change included", async () => {
    const orgId = (await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).orgId;
    const berlin = await prisma.meter.create({
      data: { orgId, name: 'Berlin', digits: 8, decimals: 3, timeZone: 'Europe/Berlin' },
    });
    // 23:30 UTC on 9 March is 00:30 on 10 March in Berlin (UTC+1); in UTC it is still the 9th.
    for (const [takenAt, consumption, energy] of [
      ['2026-03-09T22:30:00Z', '1', '10'],
      ['2026-03-09T23:30:00Z', '2', '20'],
      ['2026-03-10T12:00:00Z', '4', '40'],
    ] as const) {
      const r = await createReading(prisma, berlin.id, {
        takenAt: at(takenAt),
        value: '1',
        numeric: '1',
        consumption,
      });
      await prisma.reading.update({ where: { id: r.id }, data: { energy } });
    }
    const local = await getConsumptionHistory(prisma, berlin.id, 'day', {
      now: NOW,
      timeZone: 'Europe/Berlin',
      buckets: 2,
    });
    expect(local.map((d) => [d.start.toISOString(), d.consumption, d.energy])).toEqual([
      ['2026-03-08T23:00:00.000Z', 1, 10],
      ['2026-03-09T23:00:00.000Z', 6, 60],
    ]);
    const utc = await getConsumptionHistory(prisma, berlin.id, 'day', { now: NOW, buckets: 2 });
    expect(utc.map((d) => d.consumption)).toEqual([3, 4]);

    // Summer time starts on 29 March 2026 in Berlin: that day has 23 hours, April starts at 22:00 UTC.
    const april = new Date('2026-04-02T12:00:00Z');
    const days = await getConsumptionHistory(prisma, berlin.id, 'day', {
      now: april,
      timeZone: 'Europe/Berlin',
      buckets: 6,
    });
    const dst = days.find((d) => d.start.toISOString() === '2026-03-28T23:00:00.000Z')!;
    expect(dst.end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const months = await getConsumptionHistory(prisma, berlin.id, 'month', {
      now: april,
      timeZone: 'Europe/Berlin',
      buckets: 2,
    });
    expect(months.map((m) => [m.start.toISOString(), m.end.toISOString(), m.consumption])).toEqual([
      ['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z', 7],
      ['2026-03-31T22:00:00.000Z', '2026-04-30T22:00:00.000Z', 0],
    ]);
  });
});
