import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
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

describe('metertwin read', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metertwin-read-'));
    const meter = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
    await writeFile(join(dir, 'meter.jpg'), meter.jpeg);
    await writeFile(join(dir, 'meter.json'), JSON.stringify({ ...meter.layout, decimals: 3 }));
    // A uniform grey photo: no counter in it.
    const blank = sharp({ create: { width: 320, height: 240, channels: 3, background: '#b4b4b4' } });
    await writeFile(join(dir, 'blank.png'), await blank.png().toBuffer());
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
    expect(Object.keys(out)).toEqual(['value', 'status', 'confidence', 'digits', 'dials']);
    expect(out.dials).toEqual([]);
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

  it('reads what a composed meter shows, pointer dials included, from the meter file compose writes', async () => {
    const out = join(dir, 'composed');
    const composed = await metertwin('compose', '--count', '1', '--seed', '3', '--style', '4+1+3', '--look', 'day', '--effects', '0.1', '--out', out);
    expect(composed.code).toBe(0);
    const truth = JSON.parse(await readFile(join(out, 'truth.jsonl'), 'utf8')) as { display: string };
    const meterFile = JSON.parse(await readFile(join(out, '0001.meter.json'), 'utf8')) as { decimals: number; pointers: unknown[] };
    expect(meterFile).toMatchObject({ decimals: 1, readingRules: { drive: 'jump' } });
    expect(meterFile.pointers).toHaveLength(3);

    const read = await metertwin('read', join(out, '0001.jpg'), '--meter', join(out, '0001.meter.json'));
    expect(read.code).toBe(0);
    const reading = JSON.parse(read.stdout) as { value: string; digits: unknown[]; dials: Array<{ box: number[] }> };
    expect(reading.value).toBe(truth.display);
    expect(reading.digits).toHaveLength(5);
    expect(reading.dials).toHaveLength(3);
    for (const d of reading.dials) expect(d.box).toHaveLength(4);
  });

  it('reads a composed counter whose drums turn continuously as the value it shows', async () => {
    const out = join(dir, 'continuous');
    const composed = await metertwin('compose', '--count', '1', '--seed', '4', '--style', '5+3', '--drive', 'continuous', '--look', 'day', '--effects', '0.1', '--out', out);
    expect(composed.code).toBe(0);
    const truth = JSON.parse(await readFile(join(out, 'truth.jsonl'), 'utf8')) as { display: string; drive: string; labels: number[] };
    expect(truth.drive).toBe('continuous');
    // Drums between two digits: rounding them as if at rest would read another value.
    expect(truth.labels.slice(0, 7).some((label) => Math.abs(label - Math.round(label)) >= 0.3)).toBe(true);
    const read = await metertwin('read', join(out, '0001.jpg'), '--meter', join(out, '0001.meter.json'));
    expect(read.code).toBe(0);
    expect((JSON.parse(read.stdout) as { value: string }).value).toBe(truth.display);
  });
});
