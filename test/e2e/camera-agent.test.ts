import 'reflect-metadata';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentConfigSchema, CameraAgent, Spool, startHealthServer, type AgentConfigInput } from '@metertwin/camera-agent';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { startIngest } from '@metertwin/ingest';
import { createTestDatabase, type TestDatabase, serviceTestEnv } from '@metertwin/testing';
import { fakeCamera } from './fake-camera.js';
import { freePort } from './redis-server.js';

describe('camera agent against the real ingest service', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let env: Record<string, string>;
  let ingest: INestApplication | undefined;
  let work: string;
  let frames: string;
  let meterId: string;
  let deviceToken: string;
  let port: number;

  const startIngestOnPort = async () => {
    ingest = await startIngest(env, { handleSignals: false });
  };
  const stopIngest = async () => {
    await ingest?.close();
    ingest = undefined;
  };

  let camera: Awaited<ReturnType<typeof fakeCamera>>;
  const prepareFrames = (count: number, from: number) => camera.prepare(count, from);

  const agentWith = async (overrides: Partial<AgentConfigInput> = {}, clock?: () => Date) => {
    const config = AgentConfigSchema.parse({
      platformUrl: `http://127.0.0.1:${port}`,
      meterId,
      deviceToken,
      capture: { command: camera.command },
      spool: { dir: join(work, 'spool') },
      timeoutMs: 5000,
      ...overrides,
    });
    return new CameraAgent(config, await Spool.open(config.spool.dir, config.spool.maxPhotos), () => {}, clock);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    work = await mkdtemp(join(tmpdir(), 'metertwin-agent-'));
    frames = join(work, 'frames');
    camera = await fakeCamera(frames);
    port = await freePort();
    env = serviceTestEnv(db.url, join(work, 'captures'), { PORT: String(port) });
    const org = await prisma.organization.create({ data: { name: 'Agent Co', slug: 'agent-co' } });
    ({ meterId, deviceToken } = await createMeterWithCamera(prisma, { orgId: org.id, name: 'Pi meter', digits: 5, decimals: 0 }));
    await startIngestOnPort();
  });
  afterAll(async () => {
    await stopIngest();
    await prisma.$disconnect();
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps photos while the platform is down and sends them later in order, with their own times, each once', async () => {
    const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    let shot = 0;
    const clock = () => new Date(start + shot * 300_000);
    const light = join(work, 'light.log');
    const agent = await agentWith(
      { light: { on: ['sh', '-c', `echo on >> "${light}"`], off: ['sh', '-c', `echo off >> "${light}"`], settleMs: 0 }, maxBackoffSec: 1 },
      clock,
    );
    await prepareFrames(6, 0);

    for (; shot < 2; shot++) {
      expect(await agent.takePhoto()).toBe(true);
      await agent.flush();
    }
    expect(await prisma.capture.count({ where: { meterId } })).toBe(2);
    expect((await readFile(light, 'utf8')).trim().split('\n')).toEqual(['on', 'off', 'on', 'off']);

    await stopIngest();
    for (; shot < 5; shot++) {
      expect(await agent.takePhoto()).toBe(true);
      await agent.flush();
    }
    const down = await agent.health();
    expect(down).toMatchObject({ status: 'degraded', waiting: 3, rejected: 0 });
    expect(down.lastError).toMatch(/platform unreachable/);
    expect(down.nextUploadAt).not.toBeNull();

    await startIngestOnPort();
    await new Promise((r) => setTimeout(r, 1300)); // the backoff (at most maxBackoffSec) has passed
    await agent.flush();
    expect(await agent.health()).toMatchObject({ status: 'ok', waiting: 0, uploadFailures: 0 });

    const captures = await prisma.capture.findMany({ where: { meterId }, orderBy: { receivedAt: 'asc' } });
    expect(captures.map((c) => c.takenAt.toISOString())).toEqual(
      Array.from({ length: 5 }, (_, i) => new Date(start + i * 300_000).toISOString()),
    );
    expect(new Set(captures.map((c) => c.sha256)).size).toBe(5);
  });

  it('a photo sent again after a crash (the answer came, the file was not yet removed) is stored once', async () => {
    const agent = await agentWith();
    await prepareFrames(1, 100);
    await agent.takePhoto();
    const spoolDir = join(work, 'spool');
    const [file] = (await readdir(spoolDir)).filter((f) => f.endsWith('.img'));
    const copy = await readFile(join(spoolDir, file!));
    await agent.flush();
    const before = await prisma.capture.count({ where: { meterId } });
    await writeFile(join(spoolDir, file!), copy); // as if the agent died before removing it
    const restarted = await agentWith();
    await restarted.flush();
    expect(await restarted.health()).toMatchObject({ waiting: 0, rejected: 0 });
    expect(await prisma.capture.count({ where: { meterId } })).toBe(before);
  });

  it('sets aside a photo the platform refuses for good and sends the rest; keeps every photo while its token is refused', async () => {
    const spoolDir = join(work, 'spool');
    const agent = await agentWith();
    // a corrupt JPEG (right signature, broken body) reaches the spool as the camera gave it
    await writeFile(join(frames, '0200.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]));
    await prepareFrames(1, 201);
    const before = await prisma.capture.count({ where: { meterId } });
    await agent.takePhoto();
    await agent.takePhoto();
    await agent.flush();
    const health = await agent.health();
    expect(health).toMatchObject({ waiting: 0, rejected: 1 });
    expect(await prisma.capture.count({ where: { meterId } })).toBe(before + 1);
    const reasons = (await readdir(join(spoolDir, 'rejected'))).filter((f) => f.endsWith('.reason.txt'));
    expect(await readFile(join(spoolDir, 'rejected', reasons[0]!), 'utf8')).toMatch(/^HTTP 422/);

    const revoked = await agentWith({ deviceToken: 'x'.repeat(40) });
    await prepareFrames(2, 300);
    await revoked.takePhoto();
    await revoked.takePhoto();
    await revoked.flush();
    expect(await revoked.health()).toMatchObject({ status: 'degraded', waiting: 2, rejected: 1 });
    expect((await revoked.health()).lastError).toMatch(/HTTP 401.*photos are kept/);
  });

  it('takes its photo from a snapshot URL with basic auth (an ESP32-CAM /capture)', async () => {
    const jpeg = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#468' } }).jpeg().toBuffer();
    const camera = createServer((req, res) => {
      const ok = req.url === '/capture' && req.headers.authorization === `Basic ${Buffer.from('cam:secret').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'image/jpeg' }).end(ok ? jpeg : undefined);
    });
    await new Promise<void>((resolve) => camera.listen(0, '127.0.0.1', resolve));
    const snapshotUrl = `http://127.0.0.1:${(camera.address() as { port: number }).port}/capture`;
    try {
      const before = await prisma.capture.count({ where: { meterId } });
      const agent = await agentWith({ capture: { snapshotUrl, user: 'cam', password: 'secret' }, spool: { dir: join(work, 'spool-snapshot') } });
      expect(await agent.takePhoto()).toBe(true);
      await agent.flush();
      expect(await prisma.capture.count({ where: { meterId } })).toBe(before + 1);
      const wrong = await agentWith({ capture: { snapshotUrl, user: 'cam', password: 'wrong' }, spool: { dir: join(work, 'spool-snapshot') } });
      expect(await wrong.takePhoto()).toBe(false);
      expect((await wrong.health()).lastError).toBe('camera: the camera answered HTTP 401');
    } finally {
      camera.close();
    }
  });

  it('records a camera that fails or hangs and reports it on /healthz', async () => {
    const agent = await agentWith({ capture: { command: ['sh', '-c', 'echo not a photo'] } });
    expect(await agent.takePhoto()).toBe(false);
    const hanging = await agentWith({ capture: { command: ['sleep', '30'] }, timeoutMs: 1000 });
    const started = Date.now();
    expect(await hanging.takePhoto()).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
    const { server, url } = await startHealthServer(hanging, '127.0.0.1', 0);
    try {
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { lastError: string }).lastError).toMatch(/camera: sleep took longer than 1000 ms/);
      expect((await agent.health()).lastError).toMatch(/not a JPEG or PNG/);
    } finally {
      server.close();
    }
  });
});
