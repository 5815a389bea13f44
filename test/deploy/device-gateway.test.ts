import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMeter } from '@metertwin/composer';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { startIngest } from '@metertwin/ingest';
import { serviceUrl } from '@metertwin/service-kit';
import { createTestDatabase, serviceTestEnv, waitFor, type TestDatabase } from '@metertwin/testing';
import { freePort } from '../e2e/redis-server.js';

const root = resolve(import.meta.dirname, '../..');

/**
 * The compose file's Caddyfile with only the addresses changed: it listens on a free port, and its
 * dynamic upstream resolves a name that is the local ingest's address instead of Docker's `ingest`.
 */
async function localCaddyfile(gatewayPort: number, ingestPort: number): Promise<string> {
  const original = await readFile(resolve(root, 'docker/caddy/Caddyfile'), 'utf8');
  const listen = /^:3001 \{/m;
  const upstream = /dynamic a ingest 3001 \{/;
  expect(original).toMatch(listen);
  expect(original).toMatch(upstream);
  // the port only: a host in the site address (127.0.0.1:…) would make Caddy serve it as HTTPS
  return original.replace(listen, `:${gatewayPort} {`).replace(upstream, `dynamic a 127.0.0.1 ${ingestPort} {`);
}

describe("the device gateway (docker/caddy/Caddyfile) in front of a real ingest (needs Debian's caddy)", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storage: string;
  let dir: string;
  let ingest: INestApplication;
  let caddy: ChildProcess | undefined;
  let gateway: string;
  const caddyLog: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storage = await mkdtemp(join(tmpdir(), 'metertwin-gateway-captures-'));
    dir = await mkdtemp(join(tmpdir(), 'metertwin-gateway-'));
    ingest = await startIngest(serviceTestEnv(db.url, storage), { handleSignals: false });
    const ingestPort = Number(new URL(await serviceUrl(ingest)).port);
    const gatewayPort = await freePort();
    const config = join(dir, 'Caddyfile');
    await writeFile(config, await localCaddyfile(gatewayPort, ingestPort));
    // Caddy keeps its state under XDG directories: the test's own, not the user's
    caddy = spawn('caddy', ['run', '--config', config, '--adapter', 'caddyfile'], {
      env: { ...process.env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    caddy.on('error', (error) => caddyLog.push(`cannot run caddy (apt-get install caddy): ${error.message}`));
    caddy.stderr!.on('data', (chunk: Buffer) => caddyLog.push(chunk.toString()));
    gateway = `http://127.0.0.1:${gatewayPort}`;
    await waitFor(async () => (await fetch(`${gateway}/healthz`).then((r) => r.ok, () => false)) || caddy!.exitCode !== null, {
      what: 'the gateway answering for ingest',
    });
    expect(caddy.exitCode, caddyLog.join('')).toBeNull();
  });
  afterAll(async () => {
    caddy?.kill('SIGTERM');
    await ingest?.close();
    await prisma?.$disconnect();
    await db?.drop();
    for (const path of [storage, dir]) if (path) await rm(path, { recursive: true, force: true });
  });

  it("passes a device's upload to ingest, which stores it, and ingest's refusal back to the device", async () => {
    const frame = await composeMeter({ value: '123.456', digits: 5, decimals: 3, seed: 18 });
    const org = await prisma.organization.create({ data: { name: 'Gateway', slug: 'gateway' } });
    const meter = await createMeterWithCamera(prisma, { orgId: org.id, name: 'behind the gateway', digits: 8, decimals: 3, layout: frame.layout });
    const upload = (token: string) =>
      fetch(`${gateway}/v1/meters/${meter.meterId}/captures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg', 'x-taken-at': new Date(Date.now() - 60_000).toISOString() },
        body: new Uint8Array(frame.jpeg),
      });

    const accepted = await upload(meter.deviceToken);
    expect(accepted.status, await accepted.clone().text()).toBe(202);
    const { captureId } = (await accepted.json()) as { captureId: string };
    const stored = await prisma.capture.findUniqueOrThrow({ where: { id: captureId } });
    expect(stored).toMatchObject({ meterId: meter.meterId, bytes: frame.jpeg.length, source: 'upload' });
    expect((await upload('not-a-device-token')).status).toBe(401);
  });
});
