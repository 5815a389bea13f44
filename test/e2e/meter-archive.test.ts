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
import { setMeterArchived } from '@metertwin/meters';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, serviceTestEnv, waitFor, type TestDatabase } from '@metertwin/testing';

// Ingest alone, on real Postgres and Redis: what archiving a meter does to its cameras.
describe('an archived meter takes no photos: its pull scheduler is removed and uploads are refused', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let ingest: INestApplication;
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
    const env = serviceTestEnv(db.url, storageDir, { SCHEDULE_SYNC_MS: '3600000', OUTBOUND_ALLOWED_HOSTS: new URL(camera.url).host });
    ingest = await startIngest(env, { handleSignals: false });
    ingestUrl = await serviceUrl(ingest);
    orgId = (await prisma.organization.create({ data: { name: 'Archive Co', slug: 'archive-co' } })).id;
    const operator = await prisma.user.create({ data: { orgId, email: 'op@archive.test', name: 'Op', passwordHash: 'x', role: 'operator' } });
    actor = { orgId, type: 'user', id: operator.id };
  });

  afterAll(async () => {
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
});
