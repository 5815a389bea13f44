import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { PHOTO_RETENTION_SCHEDULER } from '@metertwin/ingest';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { waitFor } from '@metertwin/testing';
import { DAY, startRetentionHarness, type RetentionHarness } from './retention-harness.js';

describe('photo retention (ingest, real Postgres, Redis and disk storage)', () => {
  let retention: RetentionHarness;
  let prisma: PrismaClient;

  beforeAll(async () => {
    retention = await startRetentionHarness();
    prisma = retention.prisma;
  });
  afterAll(async () => {
    await retention?.stop();
  });

  /** A stored photo (file and capture row), with its reading when `reading` is given. */
  async function photo(meterId: string, ageDays: number, options: { status?: 'recognized' | 'failed' | 'received'; reading?: { reviewed?: boolean } } = {}) {
    const id = randomUUID();
    const storageKey = `captures/${meterId}/${id}.jpg`;
    const bytes = 1_000 + Math.floor(Math.random() * 1_000);
    await retention.storage.put(storageKey, Buffer.alloc(bytes, 1));
    const takenAt = new Date(Date.now() - ageDays * DAY);
    await prisma.capture.create({
      data: { id, meterId, sha256: id, storageKey, contentType: 'image/jpeg', bytes, source: 'upload', takenAt, receivedAt: takenAt, status: options.status ?? 'recognized' },
    });
    let readingId: string | undefined;
    if (options.reading) {
      readingId = randomUUID();
      await prisma.reading.create({
        data: {
          id: readingId,
          meterId,
          captureId: id,
          value: '00001.000',
          numeric: 1,
          digits: [],
          confidence: 0.99,
          status: 'accepted',
          modelVersion: 'test',
          takenAt,
          ...(options.reading.reviewed ? { reviewedBy: 'operator', reviewedAt: new Date() } : {}),
        },
      });
    }
    return { id, storageKey, bytes, readingId, exists: () => retention.stored(storageKey) };
  }

  async function trainingSample(orgId: string, meterId: string, link: { captureId?: string; readingId?: string }) {
    const sha256 = randomUUID();
    await prisma.trainingSample.create({
      data: { orgId, meterId, ...link, kind: 'digit', index: 0, label: 1, storageKey: `training/${orgId}/${sha256}.png`, sha256, source: 'operator_confirmation' },
    });
  }

  it('deletes the photos older than the organization keeps, except reviewed, labelled, unfinished and latest ones, and records what it freed', async () => {
    const org = await prisma.organization.create({ data: { name: 'Keeps 30 days', slug: 'retention-30', photoRetentionDays: 30 } });
    const other = await prisma.organization.create({ data: { name: 'Keeps all', slug: 'retention-none' } });
    const meter = await prisma.meter.create({ data: { orgId: org.id, name: 'm', digits: 5, decimals: 3 } });
    const lonely = await prisma.meter.create({ data: { orgId: org.id, name: 'only one old photo', digits: 5, decimals: 3 } });
    const otherMeter = await prisma.meter.create({ data: { orgId: other.id, name: 'm', digits: 5, decimals: 3 } });

    const expired = [await photo(meter.id, 40, { reading: {} }), await photo(meter.id, 35, { status: 'failed' })];
    const reviewed = await photo(meter.id, 41, { reading: { reviewed: true } });
    const labelledCapture = await photo(meter.id, 42, { status: 'failed' });
    await trainingSample(org.id, meter.id, { captureId: labelledCapture.id });
    const labelledReading = await photo(meter.id, 43, { reading: {} });
    await trainingSample(org.id, meter.id, { readingId: labelledReading.readingId });
    const unfinished = await photo(meter.id, 44, { status: 'received' });
    const recent = await photo(meter.id, 10, { reading: {} });
    const latestOfLonely = await photo(lonely.id, 60, { reading: {} });
    const otherOrg = await photo(otherMeter.id, 400, { reading: {} });
    const kept = [reviewed, labelledCapture, labelledReading, unfinished, recent, latestOfLonely, otherOrg];

    const now = new Date();
    await retention.runRetention(now);

    for (const p of expired) expect(p.exists()).toBe(false);
    for (const p of kept) expect(p.exists()).toBe(true);
    const marked = await prisma.capture.findMany({ where: { photoDeletedAt: { not: null } }, select: { id: true } });
    expect(marked.map((c) => c.id).sort()).toEqual(expired.map((p) => p.id).sort());
    // The rows stay: the reading of a deleted photo is still history.
    expect(await prisma.reading.count({ where: { captureId: expired[0]!.id } })).toBe(1);
    const audit = await prisma.auditLog.findMany({ where: { action: 'photos.retention' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ orgId: org.id, actorType: 'system', entityId: org.id });
    expect(audit[0]!.data).toEqual({
      photos: 2,
      bytesFreed: expired[0]!.bytes + expired[1]!.bytes,
      olderThanDays: 30,
      before: new Date(now.getTime() - 30 * DAY).toISOString(),
    });
    const metrics = await (await fetch(`${await serviceUrl(retention.ingest)}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`metertwin_retention_bytes_freed_total\\{service="ingest"\\} ${expired[0]!.bytes + expired[1]!.bytes}\\n`));

    // Again: nothing left to delete, nothing recorded.
    await retention.runRetention(now);
    for (const p of kept) expect(p.exists()).toBe(true);
    expect(await prisma.auditLog.count({ where: { action: 'photos.retention' } })).toBe(1);
  });

  it('goes through the meters in batches, one meter’s backlog across two of them, none skipped', async () => {
    const org = await prisma.organization.create({ data: { name: 'Keeps 7 days', slug: 'retention-7', photoRetentionDays: 7 } });
    // 600 + 150 + 150 expired photos: more than one batch of 500, the first meter's spanning two.
    const backlog = [600, 150, 150];
    const meters = await Promise.all(backlog.map((_, i) => prisma.meter.create({ data: { orgId: org.id, name: `m${i}`, digits: 5, decimals: 3 } })));
    const expired: { id: string; storageKey: string }[] = [];
    for (const [i, meter] of meters.entries()) {
      const rows = Array.from({ length: backlog[i]! }, (_, n) => {
        const id = randomUUID();
        const takenAt = new Date(Date.now() - (8 + n / 100) * DAY);
        return { id, meterId: meter.id, sha256: id, storageKey: `captures/${meter.id}/${id}.jpg`, contentType: 'image/jpeg', bytes: 10, source: 'upload' as const, takenAt, receivedAt: takenAt, status: 'recognized' as const };
      });
      for (const row of rows) await retention.storage.put(row.storageKey, Buffer.alloc(10, 1));
      await prisma.capture.createMany({ data: rows });
      expired.push(...rows);
    }
    const latest = await Promise.all(meters.map((meter) => photo(meter.id, 1)));

    await retention.runRetention(new Date());

    const marked = await prisma.capture.count({ where: { meter: { orgId: org.id }, photoDeletedAt: { not: null } } });
    expect(marked).toBe(expired.length);
    expect(expired.filter((p) => retention.stored(p.storageKey))).toEqual([]);
    for (const p of latest) expect(p.exists()).toBe(true);
    const audit = await prisma.auditLog.findMany({ where: { orgId: org.id, action: 'photos.retention' } });
    expect(audit.map((row) => (row.data as { photos: number }).photos)).toEqual([expired.length]);
  });

  it('runs on a daily job scheduler that every replica asserts', async () => {
    const queues = retention.ingest.get(QueueService);
    const scheduler = await waitFor(() => queues.get(QueueName.PhotoRetention).getJobScheduler(PHOTO_RETENTION_SCHEDULER), { what: 'the retention scheduler' });
    expect(scheduler.every).toBe(DAY);
  });
});
