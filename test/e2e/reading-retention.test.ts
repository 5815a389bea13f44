import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@metertwin/db';
import { serviceUrl } from '@metertwin/service-kit';
import { DAY, startRetentionHarness, type RetentionHarness } from './retention-harness.js';

const HOUR = 3_600_000;

describe('reading retention (ingest, real Postgres, Redis and disk storage)', () => {
  let retention: RetentionHarness;
  let prisma: PrismaClient;

  beforeAll(async () => {
    retention = await startRetentionHarness();
    prisma = retention.prisma;
  });
  afterAll(async () => {
    await retention?.stop();
  });

  /** A reading every `stepHours` from `fromDaysAgo` up to `toDaysAgo` days before `now`, each with its photo file. */
  async function series(
    meterId: string,
    now: Date,
    fromDaysAgo: number,
    toDaysAgo: number,
    stepHours: number,
  ) {
    const rows: { id: string; takenAt: Date; storageKey: string; i: number }[] = [];
    for (
      let t = now.getTime() - fromDaysAgo * DAY, i = 0;
      t <= now.getTime() - toDaysAgo * DAY;
      t += stepHours * HOUR, i++
    ) {
      const id = randomUUID();
      rows.push({ id, takenAt: new Date(t), storageKey: `captures/${meterId}/${id}.jpg`, i });
    }
    for (const r of rows) await retention.storage.put(r.storageKey, Buffer.alloc(100, 1));
    await prisma.capture.createMany({
      data: rows.map((r) => ({
        id: r.id,
        meterId,
        sha256: r.id,
        storageKey: r.storageKey,
        contentType: 'image/jpeg',
        bytes: 100,
        source: 'pull' as const,
        takenAt: r.takenAt,
        receivedAt: r.takenAt,
        status: 'recognized' as const,
      })),
    });
    await prisma.reading.createMany({
      data: rows.map((r) => ({
        id: r.id,
        meterId,
        captureId: r.id,
        value: String(r.i),
        numeric: r.i,
        digits: [],
        confidence: 0.99,
        status: r.i % 10 === 9 ? ('needs_review' as const) : ('accepted' as const),
        consumption: 1,
        energy: 2,
        modelVersion: 'test',
        takenAt: r.takenAt,
      })),
    });
    return rows.map((r) => ({ ...r, exists: () => retention.stored(r.storageKey) }));
  }

  const rollups = (meterId: string) =>
    prisma.readingHourly.findMany({
      where: { meterId },
      orderBy: { hour: 'asc' },
      select: {
        hour: true,
        readings: true,
        accepted: true,
        needsReview: true,
        consumption: true,
        energy: true,
        counter: true,
        counterTakenAt: true,
        lastTakenAt: true,
      },
    });

  it("deletes readings, captures and photos older than the organization keeps, keeping roll-ups, alarms, labels and each meter's latest", async () => {
    const now = new Date('2026-03-10T12:30:00Z');
    const org = await prisma.organization.create({
      data: { name: 'Keeps readings 30 days', slug: 'reading-retention-30', readingRetentionDays: 30 },
    });
    const other = await prisma.organization.create({
      data: { name: 'Keeps all', slug: 'reading-retention-none' },
    });
    const meter = await prisma.meter.create({ data: { orgId: org.id, name: 'm', digits: 5 } });
    const lonely = await prisma.meter.create({
      data: { orgId: org.id, name: 'silent for two months', digits: 5 },
    });
    const otherMeter = await prisma.meter.create({ data: { orgId: other.id, name: 'm', digits: 5 } });

    const rows = await series(meter.id, now, 45, 0, 3);
    const lonelyRows = await series(lonely.id, now, 70, 60, 6);
    const otherRows = await series(otherMeter.id, now, 45, 0, 3);
    const cutoff = new Date(Math.floor((now.getTime() - 30 * DAY) / HOUR) * HOUR);
    const old = rows.filter((r) => r.takenAt < cutoff);
    // An alarm and a training sample point at old readings.
    const alarmed = old[3]!;
    const alarm = await prisma.alarm.create({
      data: {
        orgId: org.id,
        meterId: meter.id,
        readingId: alarmed.id,
        type: 'leak',
        severity: 'major',
        message: 'leak',
      },
    });
    const labelled = old[5]!;
    await prisma.trainingSample.create({
      data: {
        orgId: org.id,
        meterId: meter.id,
        readingId: labelled.id,
        kind: 'digit',
        index: 0,
        label: 1,
        storageKey: 'training/x.png',
        sha256: randomUUID(),
        source: 'operator_confirmation',
      },
    });
    const rollupsBefore = await rollups(meter.id);
    const lonelyRollupsBefore = await rollups(lonely.id);

    await retention.runRetention(now);

    const left = new Set(
      (await prisma.reading.findMany({ where: { meterId: meter.id }, select: { id: true } })).map(
        (r) => r.id,
      ),
    );
    const gone = old.filter((r) => r.id !== labelled.id);
    for (const r of gone) {
      expect(left.has(r.id)).toBe(false);
      expect(r.exists()).toBe(false);
    }
    expect(await prisma.capture.count({ where: { id: { in: gone.map((r) => r.id) } } })).toBe(0);
    for (const r of rows.filter((r) => r.takenAt >= cutoff)) expect(left.has(r.id) && r.exists()).toBe(true);
    expect(left.has(labelled.id)).toBe(true);
    // The alarm stays, without its reading.
    expect(await prisma.alarm.findUniqueOrThrow({ where: { id: alarm.id } })).toMatchObject({
      readingId: null,
      status: 'active',
    });
    // The silent meter keeps its latest reading (its twin and the next consumption need it), the rest goes.
    const lonelyLeft = await prisma.reading.findMany({ where: { meterId: lonely.id }, select: { id: true } });
    expect(lonelyLeft.map((r) => r.id)).toEqual([lonelyRows.at(-1)!.id]);
    // Another organization's readings are untouched.
    expect(await prisma.reading.count({ where: { meterId: otherMeter.id } })).toBe(otherRows.length);

    // The roll-ups still hold every hour's figures, so the chart keeps the history.
    expect(await rollups(meter.id)).toEqual(rollupsBefore);
    expect(await rollups(lonely.id)).toEqual(lonelyRollupsBefore);
    const forgotten = await prisma.readingHourly.findMany({
      where: { meterId: meter.id, hour: { lt: cutoff } },
    });
    expect(forgotten.length).toBeGreaterThan(0);
    // ...but no longer point at the deleted captures.
    expect(forgotten.filter((h) => h.lastCaptureId !== null).map((h) => h.lastCaptureId)).toEqual([
      labelled.id,
    ]);

    const audit = await prisma.auditLog.findMany({ where: { action: 'readings.retention' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ orgId: org.id, actorType: 'system', entityId: org.id });
    expect(audit[0]!.data).toEqual({
      readings: gone.length + lonelyRows.length - 1,
      captures: gone.length + lonelyRows.length - 1,
      olderThanDays: 30,
      before: cutoff.toISOString(),
    });
    const metrics = await (await fetch(`${await serviceUrl(retention.ingest)}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(
        `metertwin_retention_readings_deleted_total\\{service="ingest"\\} ${gone.length + lonelyRows.length - 1}\\n`,
      ),
    );

    // A reading written later into a kept hour still refreshes its roll-up from the raw rows.
    await prisma.reading.update({ where: { id: rows.at(-1)!.id }, data: { status: 'rejected' } });
    const last = await prisma.readingHourly.findFirstOrThrow({
      where: { meterId: meter.id },
      orderBy: { hour: 'desc' },
    });
    expect(last).toMatchObject({ rejected: 1, accepted: 0 });

    // Again: nothing left to delete, nothing recorded.
    await retention.runRetention(now);
    expect(await prisma.auditLog.count({ where: { action: 'readings.retention' } })).toBe(1);
  });

  it("goes through the meters in batches, one meter's backlog across two of them, none skipped", async () => {
    const now = new Date('2026-03-10T12:30:00Z');
    const org = await prisma.organization.create({
      data: { name: 'Keeps readings 30 days, backlog', slug: 'reading-retention-backlog', readingRetentionDays: 30 },
    });
    // 601 + 145 + 145 expired readings: more than one batch of 500, the first meter's spanning two.
    const meters = await Promise.all(
      [0, 1, 2].map((i) => prisma.meter.create({ data: { orgId: org.id, name: `b${i}`, digits: 5 } })),
    );
    const series0 = await series(meters[0]!.id, now, 60, 35, 1);
    const series1 = await series(meters[1]!.id, now, 60, 35, 4);
    const series2 = await series(meters[2]!.id, now, 60, 35, 4);
    const all = [...series0, ...series1, ...series2];

    await retention.runRetention(now);

    // Each meter keeps its latest capture and the capture of its latest accepted reading; the rest goes.
    const left = await prisma.reading.findMany({ where: { meter: { orgId: org.id } }, select: { meterId: true, status: true } });
    for (const meter of meters) {
      const mine = left.filter((r) => r.meterId === meter.id);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(mine.length).toBeLessThanOrEqual(2);
    }
    expect(all.filter((r) => r.exists()).length).toBe(left.length);
    const audit = await prisma.auditLog.findMany({ where: { orgId: org.id, action: 'readings.retention' } });
    expect(audit.map((row) => (row.data as { readings: number }).readings)).toEqual([all.length - left.length]);
  });
});
