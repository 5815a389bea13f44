import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { QueueName } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { CameraScheduleService, startIngest } from '@metertwin/ingest';
import { startNotify } from '@metertwin/notify';
import { setMeterArchived } from '@metertwin/meters';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, serviceTestEnv, waitFor, type TestDatabase } from '@metertwin/testing';
import { insertReadings, notifyReadings } from './notify-harness.js';

// Ingest and notify, on real Postgres and Redis: what archiving a meter does to its cameras and alarms.
describe('an archived meter takes no photos and raises no alarms', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let ingest: INestApplication;
  let notify: INestApplication;
  let ingestUrl: string;
  let camera: CameraSimulator;
  let orgId: string;
  let actor: { orgId: string; type: 'user'; id: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(join(tmpdir(), 'metertwin-archive-'));
    camera = await startCameraSimulator({ start: 120.5, rate: 0, digits: 5, decimals: 3, seed: 5 });
    // The timer's own passes are far apart: the test runs the sync itself, so each step is known.
    const env = serviceTestEnv(db.url, storageDir, { SCHEDULE_SYNC_MS: '3600000', RULE_TICK_MS: '500', OUTBOUND_ALLOWED_HOSTS: new URL(camera.url).host });
    ingest = await startIngest(env, { handleSignals: false });
    notify = await startNotify(env, { handleSignals: false });
    ingestUrl = await serviceUrl(ingest);
    orgId = (await prisma.organization.create({ data: { name: 'Archive Co', slug: 'archive-co' } })).id;
    const operator = await prisma.user.create({ data: { orgId, email: 'op@archive.test', name: 'Op', passwordHash: 'x', role: 'operator' } });
    actor = { orgId, type: 'user', id: operator.id };
  });

  afterAll(async () => {
    await notify?.close();
    await ingest?.close();
    await camera?.close();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  const schedulerKeys = async () =>
    (await ingest.get(QueueService).get(QueueName.CameraPull).getJobSchedulers()).map((s) => s.key);

  it('stops pulling an archived meter’s camera and pulls it again once unarchived', async () => {
    const { meterId, deviceId } = await createMeterWithCamera(
      prisma,
      { orgId, name: 'Pulled, then archived', digits: 8, decimals: 3, layout: camera.layout },
      { snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 1 },
    );
    const schedules = ingest.get(CameraScheduleService);
    await schedules.sync();
    expect(await schedulerKeys()).toContain(`pull-${deviceId}`);
    await waitFor(() => prisma.capture.findFirst({ where: { meterId } }), { timeoutMs: 15_000, what: 'a pulled photo' });

    await setMeterArchived(prisma, actor, meterId, true);
    await schedules.sync();
    expect(await schedulerKeys()).not.toContain(`pull-${deviceId}`);
    // A pull already queued may still be in flight: count once it has had its time, then wait again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const settled = await prisma.capture.count({ where: { meterId } });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await prisma.capture.count({ where: { meterId } })).toBe(settled);
    // a pull its scheduler queued just before the meter was archived takes no photo either
    const queue = ingest.get(QueueService);
    await queue.add(QueueName.CameraPull, { v: 1, meterId, deviceId }, { jobId: `late-pull-${deviceId}` });
    await waitFor(async () => ((await queue.get(QueueName.CameraPull).getJobState(`late-pull-${deviceId}`)) === 'completed' ? true : undefined), {
      what: 'the late pull to complete',
    });
    expect(await prisma.capture.count({ where: { meterId } })).toBe(settled);

    await setMeterArchived(prisma, actor, meterId, false);
    await schedules.sync();
    expect(await schedulerKeys()).toContain(`pull-${deviceId}`);
    await waitFor(async () => ((await prisma.capture.count({ where: { meterId } })) > settled ? true : undefined), {
      timeoutMs: 15_000,
      what: 'a photo pulled after unarchiving',
    });
  });

  it('answers a pushing camera of an archived meter 410 with the reason, and takes its photos again once unarchived', async () => {
    const { meterId, deviceToken } = await createMeterWithCamera(prisma, { orgId, name: 'Pushing, then archived', digits: 8, decimals: 3, layout: camera.layout });
    const photo = await (await fetch(`${camera.url}/capture`)).arrayBuffer();
    const upload = () =>
      fetch(`${ingestUrl}/v1/meters/${meterId}/captures`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${deviceToken}` },
        body: new Uint8Array(photo),
      });
    await setMeterArchived(prisma, actor, meterId, true);
    const refused = await upload();
    expect(refused.status).toBe(410);
    expect(((await refused.json()) as { message: string }).message).toBe(
      `meter ${meterId} is archived: it takes no photos until it is unarchived in the portal`,
    );
    expect(await prisma.capture.count({ where: { meterId } })).toBe(0);

    await setMeterArchived(prisma, actor, meterId, false);
    expect((await upload()).status).toBe(202);
    expect(await prisma.capture.count({ where: { meterId } })).toBe(1);
  });

  it('raises no alarm for an archived meter, neither from a reading still in the pipeline nor from the no-reading timer', async () => {
    const org = (await prisma.organization.create({ data: { name: 'Alarm Co', slug: 'alarm-co' } })).id;
    const admin = await prisma.user.create({ data: { orgId: org, email: 'admin@alarm.test', name: 'Ad', passwordHash: 'x', role: 'admin' } });
    const live = await prisma.meter.create({ data: { orgId: org, name: 'In service', digits: 8, decimals: 3 } });
    const archived = await prisma.meter.create({ data: { orgId: org, name: 'Archived', digits: 8, decimals: 3 } });
    await setMeterArchived(prisma, { orgId: org, type: 'user', id: admin.id }, archived.id, true);
    // Organization-wide rules cover both meters: a high reading and silence.
    await prisma.rule.createMany({
      data: [
        { orgId: org, type: 'threshold', config: { above: 100 }, severity: 'warning' },
        { orgId: org, type: 'no-reading', config: { minutes: 1 }, severity: 'warning' },
      ],
    });
    const queues = ingest.get(QueueService);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    for (const meter of [live, archived]) {
      const readings = await insertReadings(prisma, meter.id, [{ takenAt: tenMinutesAgo, value: 500 }]);
      await notifyReadings({ queues }, meter.id, readings);
    }
    expect(await prisma.alarm.count({ where: { meterId: live.id, type: 'threshold' } })).toBe(1);
    await waitFor(() => prisma.alarm.findFirst({ where: { meterId: live.id, type: 'no-reading' } }), { what: 'the timer to raise no-reading on the meter in service' });
    // a few more ticks for the archived one to have had its chance
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await prisma.alarm.count({ where: { meterId: archived.id } })).toBe(0);
    // its reading was still notified (history kept), only its rules were not evaluated
    expect(await prisma.reading.count({ where: { meterId: archived.id, notifiedAt: { not: null } } })).toBe(1);
  });
});
