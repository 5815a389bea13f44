import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera } from '@metertwin/db';
import { composeMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

const run = promisify(execFile);

describe('ingest with its image storage full', () => {
  let platform: Platform;
  let storage: string;
  beforeAll(async () => {
    // A disk of its own (tmpfs, needs root), so that full is real: ENOSPC from the filesystem.
    storage = await mkdtemp(join(tmpdir(), 'metertwin-full-'));
    await run('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', storage]);
    platform = await startPlatform({ STORAGE_DIR: storage });
  });
  afterAll(async () => {
    await platform?.stop();
    await run('umount', [storage]).catch(() => {});
    await rm(storage, { recursive: true, force: true });
  });

  it('answers 507 with Retry-After, stores nothing, and takes the frame once there is room again', async () => {
    const org = await platform.prisma.organization.create({
      data: { name: 'Full', slug: `full-${Date.now()}` },
    });
    const photo = await composeMeter({ value: '00077.125', digits: 5, decimals: 3, seed: 9 });
    const meter = await createMeterWithCamera(platform.prisma, {
      orgId: org.id,
      name: 'full',
      digits: 8,
      decimals: 3,
      layout: photo.layout,
    });
    const upload = () =>
      fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${meter.deviceToken}`, 'content-type': 'image/jpeg' },
        body: new Uint8Array(photo.jpeg),
      });
    await writeFile(join(storage, 'filler'), Buffer.alloc(4 * 1024 * 1024)).catch(() => {}); // fills the 2 MB disk
    const full = await upload();
    expect(full.status).toBe(507);
    expect(full.headers.get('retry-after')).toBe('300');
    expect(((await full.json()) as { message: string }).message).toMatch(/storage is full/);
    expect(await platform.prisma.capture.count({ where: { meterId: meter.meterId } })).toBe(0);

    await rm(join(storage, 'filler'));
    const later = await upload();
    expect(later.status).toBe(202);
    expect(await platform.prisma.capture.count({ where: { meterId: meter.meterId } })).toBe(1);
  });
});
