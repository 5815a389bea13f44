import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';
import { Queue } from 'bullmq';
import { CameraPullJobSchema, QueueName, type CounterLayout } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, secretBoxFrom, SecretPurpose, type PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '@metertwin/testing';
import { createCapture, createOrg, TINY_PNG } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// The real route modules against a throwaway database and a disk storage in a temporary directory.
let settingsRoute: typeof import('../src/app/api/meters/[id]/settings/route');
let cameraRoute: typeof import('../src/app/api/meters/[id]/cameras/[deviceId]/route');
let archiveRoute: typeof import('../src/app/api/meters/[id]/archive/route');
let meterRoute: typeof import('../src/app/api/meters/[id]/route');
let photoRoute: typeof import('../src/app/api/meters/[id]/reference/photo/route');
let referenceRoute: typeof import('../src/app/api/meters/[id]/reference/route');
let snapshotRoute: typeof import('../src/app/api/meters/[id]/cameras/[deviceId]/snapshot/route');
let closeQueues: () => Promise<void>;
const queuePrefix = uniqueQueuePrefix();
let db: TestDatabase;
let prisma: PrismaClient;
let storageDir: string;
let orgId: string;
let operator: string;
let viewer: string;
let admin: string;
let composed: ComposedMeter;

beforeAll(async () => {
  db = await createTestDatabase();
  storageDir = await mkdtemp(path.join(tmpdir(), 'mt-meter-settings-'));
  process.env.DATABASE_URL = db.url;
  process.env.STORAGE_DIR = storageDir;
  process.env.OUTBOUND_ALLOWED_HOSTS = '';
  process.env.QUEUE_PREFIX = queuePrefix;
  process.env.REDIS_URL = REDIS_URL;
  settingsRoute = await import('../src/app/api/meters/[id]/settings/route');
  cameraRoute = await import('../src/app/api/meters/[id]/cameras/[deviceId]/route');
  archiveRoute = await import('../src/app/api/meters/[id]/archive/route');
  meterRoute = await import('../src/app/api/meters/[id]/route');
  photoRoute = await import('../src/app/api/meters/[id]/reference/photo/route');
  referenceRoute = await import('../src/app/api/meters/[id]/reference/route');
  snapshotRoute = await import('../src/app/api/meters/[id]/cameras/[deviceId]/snapshot/route');
  ({ closeQueues } = await import('../src/lib/queues'));
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  operator = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
  viewer = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
  admin = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'admin' })).id);
  composed = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
}, 120_000);

afterAll(async () => {
  await closeQueues?.();
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

type Route<P> = Partial<Record<'POST' | 'DELETE', (r: Request, c: { params: Promise<P> }) => Promise<Response>>>;

async function call<P extends object>(route: Route<P>, method: 'POST' | 'DELETE', params: P, json: unknown, cookie: string | null = operator) {
  const res = await route[method]!(apiRequest('/api/meters/x', { method, cookie, json }), { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function newMeter(name = 'Basement water') {
  const { meterId } = await createMeterWithCamera(prisma, { orgId, name, digits: 8, decimals: 3, layout: composed.layout }, { snapshotUrl: 'http://203.0.113.9/capture', pullIntervalSec: 60 });
  const device = await prisma.device.findFirstOrThrow({ where: { meterId } });
  return { meterId, deviceId: device.id };
}

describe('POST /api/meters/:id/settings', () => {
  it('saves the changed fields with one audit entry holding before and after', async () => {
    const { meterId } = await newMeter();
    const conversion = { kind: 'thermal', flowTempC: 70, returnTempC: 50 };
    const res = await call(settingsRoute, 'POST', { id: meterId }, { name: ' Boiler room ', location: 'Block A', timeZone: 'Asia/Seoul', decimals: 2, ocrMode: 'compare', conversion });
    expect(res.status).toBe(200);
    const meter = await prisma.meter.findUniqueOrThrow({ where: { id: meterId } });
    expect(meter).toMatchObject({ name: 'Boiler room', location: 'Block A', timeZone: 'Asia/Seoul', decimals: 2, ocrMode: 'compare' });
    expect(meter.conversion).toEqual({ ...conversion, m3PerUnit: 1, kWhPerM3K: 1.163 });
    const audits = await prisma.auditLog.findMany({ where: { entityId: meterId, action: 'meter.settings.updated' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.data).toMatchObject({
      changes: {
        name: { before: 'Basement water', after: 'Boiler room' },
        decimals: { before: 3, after: 2 },
        timeZone: { before: 'UTC', after: 'Asia/Seoul' },
        ocrMode: { before: 'off', after: 'compare' },
        conversion: { before: null },
      },
    });

    // The same values again change nothing and write no audit row; null removes the conversion.
    expect((await call(settingsRoute, 'POST', { id: meterId }, { name: 'Boiler room', decimals: 2 })).status).toBe(200);
    expect(await prisma.auditLog.count({ where: { entityId: meterId, action: 'meter.settings.updated' } })).toBe(1);
    expect((await call(settingsRoute, 'POST', { id: meterId }, { conversion: null })).status).toBe(200);
    expect((await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).conversion).toBeNull();
  });

  it('answers 422 naming the field for each value that makes no sense, and saves nothing', async () => {
    const { meterId } = await newMeter('Untouched');
    const refusals: [unknown, RegExp][] = [
      [{ name: '   ' }, /^name: the meter needs a name/],
      [{ timeZone: 'Europe/Atlantis' }, /^timeZone: not an IANA time zone/],
      [{ decimals: 9 }, /^decimals: the counter has 8 drums/],
      [{ decimals: -1 }, /^decimals: /],
      [{ ocrMode: 'always' }, /^ocrMode: /],
      [{ conversion: { kind: 'thermal', flowTempC: 40, returnTempC: 60 } }, /^conversion: a heating circuit returns cooler/],
      [{ conversion: { kind: 'factor', kWhPerUnit: 0 } }, /^conversion.kWhPerUnit: /],
      [{ digits: 4 }, /Unrecognized key: "digits"/],
    ];
    for (const [body, message] of refusals) {
      const res = await call(settingsRoute, 'POST', { id: meterId }, { name: 'Renamed', ...(body as object) });
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 422]);
      expect(res.body.error).toMatch(message);
    }
    expect(await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).toMatchObject({ name: 'Untouched', decimals: 3 });
    expect(await prisma.auditLog.count({ where: { entityId: meterId } })).toBe(0);
  });

  it("answers 403 to a viewer and 404 for another organization's meter", async () => {
    const { meterId } = await newMeter();
    expect((await call(settingsRoute, 'POST', { id: meterId }, { name: 'Nope' }, viewer)).status).toBe(403);
    const theirs = await prisma.meter.create({ data: { orgId: await createOrg(prisma), name: 'Theirs', digits: 8, decimals: 3 } });
    expect((await call(settingsRoute, 'POST', { id: theirs.id }, { name: 'Mine now' })).status).toBe(404);
    expect((await prisma.meter.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe('Theirs');
  });
});

describe('POST /api/meters/:id/cameras/:deviceId', () => {
  it('saves pull settings and the firmware reading URL, audited', async () => {
    const { meterId, deviceId } = await newMeter();
    const res = await call(cameraRoute, 'POST', { id: meterId, deviceId }, { snapshotUrl: 'http://93.184.215.14/capture', pullIntervalSec: 300, pullTimeoutMs: 5000, readingUrl: 'http://93.184.215.14/json' });
    expect(res.status).toBe(200);
    expect(await prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).toMatchObject({ snapshotUrl: 'http://93.184.215.14/capture', pullIntervalSec: 300, pullTimeoutMs: 5000, readingUrl: 'http://93.184.215.14/json' });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: meterId, action: 'meter.camera.updated' } });
    expect(audit.data).toMatchObject({ deviceId, changes: { pullIntervalSec: { before: 60, after: 300 }, readingUrl: { before: null, after: 'http://93.184.215.14/json' } } });
  });

  it('turns the flash on at an intensity and off again, audited', async () => {
    const { meterId, deviceId } = await newMeter();
    const on = await call(cameraRoute, 'POST', { id: meterId, deviceId }, { flashIntensity: 200 });
    expect([on.status, on.body.flashIntensity]).toEqual([200, 200]);
    expect((await call(cameraRoute, 'POST', { id: meterId, deviceId }, { flashIntensity: null })).status).toBe(200);
    expect((await prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).flashIntensity).toBeNull();
    const audits = await prisma.auditLog.findMany({ where: { entityId: meterId, action: 'meter.camera.updated' }, orderBy: { at: 'asc' } });
    expect(audits.map((a) => (a.data as { changes: unknown }).changes)).toEqual([
      { flashIntensity: { before: null, after: 200 } },
      { flashIntensity: { before: 200, after: null } },
    ]);
  });

  it('stores the camera password sealed, keeps it when only the user changes, removes both with null; the audit row never holds it', async () => {
    const { meterId, deviceId } = await newMeter();
    const box = secretBoxFrom({ SECRETS_KEY: process.env.SECRETS_KEY!, SECRETS_KEY_PREVIOUS: '' });
    const device = () => prisma.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect((await call(cameraRoute, 'POST', { id: meterId, deviceId }, { basicAuth: { user: 'cam', password: 'n3w-secret' } })).status).toBe(200);
    const sealed = (await device()).basicAuthPassword!;
    expect(sealed).toMatch(/^enc:v1:/);
    expect(box.open(sealed, SecretPurpose.CameraPassword)).toBe('n3w-secret');

    expect((await call(cameraRoute, 'POST', { id: meterId, deviceId }, { basicAuth: { user: 'admin' } })).status).toBe(200);
    expect(await device()).toMatchObject({ basicAuthUser: 'admin', basicAuthPassword: sealed });
    expect((await call(cameraRoute, 'POST', { id: meterId, deviceId }, { basicAuth: null })).status).toBe(200);
    expect(await device()).toMatchObject({ basicAuthUser: null, basicAuthPassword: null });

    const audits = await prisma.auditLog.findMany({ where: { entityId: meterId, action: 'meter.camera.updated' }, orderBy: { at: 'asc' } });
    expect(audits.map((a) => (a.data as { changes: unknown }).changes)).toEqual([
      { basicAuthUser: { before: null, after: 'cam' }, basicAuthPassword: { before: null, after: 'replaced' } },
      { basicAuthUser: { before: 'cam', after: 'admin' } },
      { basicAuthUser: { before: 'admin', after: null }, basicAuthPassword: { before: 'set', after: null } },
    ]);
    expect(JSON.stringify(audits)).not.toContain('n3w-secret');
  });

  it("refuses a URL the outbound policy refuses (the server's own network, metadata) and values out of range: 422, nothing saved", async () => {
    const { meterId, deviceId } = await newMeter();
    const refusals: [unknown, RegExp][] = [
      [{ snapshotUrl: 'http://127.0.0.1:9100/metrics' }, /^snapshotUrl: refused: 127.0.0.1 is a loopback address/],
      [{ readingUrl: 'http://169.254.169.254/latest/meta-data' }, /^readingUrl: refused: 169.254.169.254 is a cloud metadata address/],
      [{ snapshotUrl: 'file:///etc/passwd' }, /^snapshotUrl: the camera URL must be an http/],
      [{ snapshotUrl: 'http://cam:pw@93.184.215.14/capture' }, /^snapshotUrl: put the camera user and password in the basic auth fields/],
      [{ pullIntervalSec: 1 }, /^pullIntervalSec: /],
      [{ pullTimeoutMs: 600_000 }, /^pullTimeoutMs: /],
      [{ flashIntensity: 0 }, /^flashIntensity: /],
      [{ flashIntensity: 256 }, /^flashIntensity: /],
    ];
    for (const [body, message] of refusals) {
      const res = await call(cameraRoute, 'POST', { id: meterId, deviceId }, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 422]);
      expect(res.body.error).toMatch(message);
    }
    expect(await prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).toMatchObject({ snapshotUrl: 'http://203.0.113.9/capture', pullIntervalSec: 60, readingUrl: null });
    expect(await prisma.auditLog.count({ where: { entityId: meterId } })).toBe(0);
  });

  it("answers 404 for another meter's camera", async () => {
    const { meterId } = await newMeter();
    const other = await newMeter('Other');
    expect((await call(cameraRoute, 'POST', { id: meterId, deviceId: other.deviceId }, { pullIntervalSec: 30 })).status).toBe(404);
  });
});

describe('POST /api/meters/:id/cameras/:deviceId/snapshot', () => {
  it("queues a camera-pull job for a pulled or MQTT camera now; 409 for a camera that pushes over HTTP or an archived meter; 403/404 as elsewhere", async () => {
    const queue = new Queue(QueueName.CameraPull, { connection: { url: REDIS_URL }, prefix: queuePrefix });
    try {
      const { meterId, deviceId } = await newMeter('Camera on demand');
      expect(await call(snapshotRoute, 'POST', { id: meterId, deviceId }, undefined)).toEqual({ status: 202, body: { queued: true } });
      // the job ingest's puller takes, next to (never instead of) the schedule's
      const [job] = await queue.getJobs(['waiting', 'delayed', 'active']);
      expect(CameraPullJobSchema.parse(job!.data)).toEqual({ v: 1, meterId, deviceId });
      expect(job!.id).toMatch(new RegExp(`^${deviceId}-now-\\d+$`));

      await prisma.device.update({ where: { id: deviceId }, data: { snapshotUrl: null, pullIntervalSec: null } });
      expect(await call(snapshotRoute, 'POST', { id: meterId, deviceId }, undefined)).toEqual({
        status: 409,
        body: { error: 'this camera pushes its photos over HTTP: it cannot be asked for one', code: 'camera-pushes' },
      });
      // a camera with an MQTT account (the camera agent) is asked through the same job: ingest publishes its command
      await prisma.device.update({ where: { id: deviceId }, data: { mqttUsername: `device-${deviceId}` } });
      expect((await call(snapshotRoute, 'POST', { id: meterId, deviceId }, undefined)).status).toBe(202);
      const archived = await newMeter('Archived camera');
      await prisma.meter.update({ where: { id: archived.meterId }, data: { archivedAt: new Date() } });
      expect((await call(snapshotRoute, 'POST', { id: archived.meterId, deviceId: archived.deviceId }, undefined)).status).toBe(409);
      expect((await call(snapshotRoute, 'POST', { id: meterId, deviceId }, undefined, viewer)).status).toBe(403);
      const theirs = await createMeterWithCamera(prisma, { orgId: await createOrg(prisma), name: 'Theirs', digits: 5, decimals: 0 }, { snapshotUrl: 'http://203.0.113.9/capture', pullIntervalSec: 60 });
      const theirDevice = await prisma.device.findFirstOrThrow({ where: { meterId: theirs.meterId } });
      expect((await call(snapshotRoute, 'POST', { id: theirs.meterId, deviceId: theirDevice.id }, undefined)).status).toBe(404);
      expect(await queue.count()).toBe(2);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});

describe('POST /api/meters/:id/archive', () => {
  it('archives and unarchives with an audit entry each; archiving twice is a 409', async () => {
    const { meterId } = await newMeter();
    const archived = await call(archiveRoute, 'POST', { id: meterId }, { archived: true });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expect((await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).archivedAt).not.toBeNull();
    expect(await call(archiveRoute, 'POST', { id: meterId }, { archived: true })).toEqual({ status: 409, body: { error: 'the meter is already archived', code: 'meter-already-archived' } });
    expect((await call(archiveRoute, 'POST', { id: meterId }, { archived: false })).body).toEqual({ id: meterId, archivedAt: null });
    const actions = await prisma.auditLog.findMany({ where: { entityId: meterId }, orderBy: { at: 'asc' }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(['meter.archived', 'meter.unarchived']);
  });
});

describe('DELETE /api/meters/:id', () => {
  it('needs the admin role and the meter’s name typed exactly; then removes its photos, then its rows, and keeps the audit entry', async () => {
    const { meterId } = await newMeter('Old well');
    const storage = new DiskStorage(storageDir);
    const captures = await Promise.all(
      [0, 1].map((i) => createCapture(prisma, meterId, { takenAt: new Date(Date.UTC(2026, 0, 1 + i)), storageKey: `captures/${meterId}/${i}.png` })),
    );
    for (const c of captures) await storage.put(c.storageKey, TINY_PNG);
    const crop = `training/${meterId}/crop.png`;
    await prisma.trainingSample.create({ data: { orgId, meterId, kind: 'digit', index: 0, label: 4, storageKey: crop, sha256: 'f'.repeat(64), source: 'operator_correction' } });
    await storage.put(crop, TINY_PNG);
    const files = [...captures.map((c) => c.storageKey), crop].map((key) => path.join(storageDir, key));

    expect((await call(meterRoute, 'DELETE', { id: meterId }, { confirmName: 'Old well' })).status).toBe(403);
    const wrongName = await call(meterRoute, 'DELETE', { id: meterId }, { confirmName: 'old well' }, admin);
    expect(wrongName).toEqual({ status: 422, body: { error: 'confirmName: type the meter’s name exactly to delete it', code: 'confirm-name-mismatch', params: { field: 'confirmName' } } });
    for (const file of files) await access(file);

    const deleted = await call(meterRoute, 'DELETE', { id: meterId }, { confirmName: 'Old well' }, admin);
    expect(deleted).toEqual({ status: 200, body: { id: meterId, photosDeleted: 3 } });
    for (const file of files) await expect(access(file)).rejects.toThrow(/ENOENT/);
    expect(await prisma.meter.findUnique({ where: { id: meterId } })).toBeNull();
    expect(await prisma.capture.count({ where: { meterId } })).toBe(0);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: meterId, action: 'meter.deleted' } });
    expect(audit).toMatchObject({ orgId, data: { name: 'Old well', photosDeleted: 3 } });
  });
});

describe('re-reference: POST /api/meters/:id/reference/photo and /reference', () => {
  it('offers the latest photo, saves a new layout with alignment marks cut from it, audited; another drum count is refused', async () => {
    const { meterId } = await newMeter('Moved camera');
    const capture = await createCapture(prisma, meterId, { takenAt: new Date(), storageKey: `captures/${meterId}/moved.jpg`, contentType: 'image/jpeg' });
    await new DiskStorage(storageDir).put(capture.storageKey, composed.jpeg);

    const photo = await call(photoRoute, 'POST', { id: meterId }, { source: 'latest' });
    expect(photo.status).toBe(200);
    expect(photo.body).toMatchObject({ width: composed.layout.reference.width, height: composed.layout.reference.height });
    expect(Buffer.from(photo.body.image as string, 'base64').equals(composed.jpeg)).toBe(true);
    expect((await call(photoRoute, 'POST', { id: meterId }, { source: 'tomorrow' })).status).toBe(422);

    const boxes: CounterLayout = { ...composed.layout };
    delete boxes.alignment;
    // the operator nudged the window's corners two pixels to the right (the boxes follow the quad)
    const shifted: CounterLayout = { ...boxes, windowQuad: boxes.windowQuad!.map(([x, y]) => [x + 2, y]) as CounterLayout['windowQuad'] };
    const saved = await call(referenceRoute, 'POST', { id: meterId }, { image: photo.body.image, layout: shifted });
    expect(saved.status).toBe(201);
    const layout = (await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).layout as CounterLayout;
    expect(layout.windowQuad).toEqual(shifted.windowQuad);
    expect(layout.window![0]).toBe(boxes.window![0] + 2);
    expect(layout.alignment?.marks.length ?? 0).toBe(saved.body.alignmentMarks);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: meterId, action: 'meter.reference.replaced' } });
    expect(audit.data).toMatchObject({ before: { windowQuad: boxes.windowQuad }, after: { windowQuad: shifted.windowQuad, drums: 8 } });

    const fewer = await call(referenceRoute, 'POST', { id: meterId }, { image: photo.body.image, layout: { ...shifted, digits: shifted.digits.slice(0, 5) } });
    expect(fewer).toEqual({ status: 422, body: { error: 'layout.digits: the counter has 8 drums; the new layout marks 5', code: 'layout-drums-changed', params: { field: 'digits', drums: 8, marked: 5 } } });
  });
});
