import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMeter } from '@metertwin/vision';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

async function metertwin(...args: string[]) {
  try {
    const { stdout, stderr } = await run(TSX, ['--conditions=source', 'apps/cli/src/main.ts', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A uniform grey PNG: a photo with no counter in it. */
function greyPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 180);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

describe('metertwin read', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metertwin-read-'));
    const meter = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
    await writeFile(join(dir, 'meter.jpg'), meter.jpeg);
    await writeFile(join(dir, 'meter.json'), JSON.stringify({ ...meter.layout, decimals: 3 }));
    await writeFile(join(dir, 'blank.png'), greyPng(320, 240));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints value, status, confidence and per-digit results with a layout, and judges against --previous', async () => {
    const { code, stdout, stderr } = await metertwin(
      'read',
      join(dir, 'meter.jpg'),
      '--meter',
      join(dir, 'meter.json'),
      '--previous',
      '1234.5',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['value', 'status', 'confidence', 'digits']);
    expect(out).toMatchObject({ value: '01234.567', status: 'accepted' });
    const digits = out.digits as Array<{ value: number; confidence: number; box: number[] }>;
    expect(digits).toHaveLength(8);
    for (const d of digits) expect(d.box).toHaveLength(4);
    expect(stderr).toBe('');

    // The same photo against a higher previous value is a step back: rejected, with the reason on stderr.
    const back = await metertwin(
      'read',
      join(dir, 'meter.jpg'),
      '--meter',
      join(dir, 'meter.json'),
      '--previous',
      '1300',
    );
    expect(JSON.parse(back.stdout)).toMatchObject({ value: '01234.567', status: 'rejected' });
    expect(back.stderr).toMatch(/rejected: negative flow: 1300.000 → 1234.567/);
  });

  it('finds the counter window itself without --meter, and exits 2 when there is none', async () => {
    const { code, stdout } = await metertwin('read', join(dir, 'meter.jpg'), '--decimals', '3');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ value: '01234.567' });

    const blank = await metertwin('read', join(dir, 'blank.png'));
    expect(blank.code).toBe(2);
    expect(JSON.parse(blank.stdout)).toMatchObject({
      error: expect.stringMatching(/no counter window found/),
    });
  });
});
