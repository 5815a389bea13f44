import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMeter } from '@metertwin/composer';

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
  let quad: number[][];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metertwin-read-'));
    const meter = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
    await writeFile(join(dir, 'meter.jpg'), meter.jpeg);
    await writeFile(join(dir, 'meter.json'), JSON.stringify({ ...meter.layout, decimals: 3 }));
    // A uniform grey photo: no counter in it.
    // COMPOSED: a counter turned 35° across the frame and tilted, white digits on black drums,
    // marked as four corners on the photo (no alignment marks: the photo is its own reference)
    const turned = await composeMeter({
      value: '00530.12', digits: 5, decimals: 2, seed: 11, whiteOnBlack: true,
      mount: { rotationDeg: 35, shift: [0, 0], tilt: [0.08, 0.04] },
    });
    quad = turned.layout.windowQuad!.map((p) => p.map(Math.round));
    await writeFile(join(dir, 'turned.jpg'), turned.jpeg);
    await writeFile(join(dir, 'turned.json'), JSON.stringify({ windowQuad: quad, drums: 7, decimals: 2 }));
    // COMPOSED: a later frame of that meter after the camera moved (turned 4° more, shifted)
    const moved = await composeMeter({
      value: '00530.12', digits: 5, decimals: 2, seed: 11, whiteOnBlack: true,
      mount: { rotationDeg: 39, shift: [14, -9], tilt: [0.08, 0.04] },
    });
    await writeFile(join(dir, 'moved.jpg'), moved.jpeg);
    // the same photo with upright boxes around its drums (what a layout could hold before)
    await writeFile(join(dir, 'turned-boxes.json'), JSON.stringify({ v: 1, reference: turned.layout.reference, digits: turned.layout.digits, decimals: 2 }));
    // COMPOSED: a counter upside down and a little more (150°), no layout given
    const upsideDown = await composeMeter({ value: '35241.866', digits: 5, decimals: 3, seed: 13, mount: { rotationDeg: 150, shift: [0, 0], tilt: [0.05, 0.03] } });
    await writeFile(join(dir, 'upside-down.jpg'), upsideDown.jpeg);
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
    // compose's layout marks its window as a quad: "quad" is where it is in the photo
    expect(Object.keys(out)).toEqual(['value', 'status', 'confidence', 'digits', 'dials', 'quad']);
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
    const { code, stdout, stderr } = await metertwin('read', join(dir, 'meter.jpg'), '--decimals', '3');
    expect(code).toBe(0);
    // read right, yet not taken as it stands: nobody said this row of digits is the counter
    expect(JSON.parse(stdout)).toMatchObject({ value: '01234.567', status: 'needs_review' });
    expect(stderr).toMatch(/needs_review: the counter window was detected, not marked/);

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

  it('finds a counter turned 150° without --meter and reads it the right way round (COMPOSED photo)', async () => {
    const { code, stdout } = await metertwin('read', join(dir, 'upside-down.jpg'), '--decimals', '3');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { value: string; quad: number[][] };
    // the last drum turns continuously: either of the two values it stands between
    expect(['35241.866', '35241.865']).toContain(out.value);
    // read left to right on the counter: its first corner is right of its second on the photo
    expect(out.quad[0]![0]).toBeGreaterThan(out.quad[1]![0]!);
  });

  it('reads a counter turned 35° and tilted, white on black, from its four corners (COMPOSED photo)', async () => {
    const { code, stdout } = await metertwin('read', join(dir, 'turned.jpg'), '--meter', join(dir, 'turned.json'));
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { value: string; status: string; digits: unknown[]; quad: number[][] };
    expect(out).toMatchObject({ value: '00530.12', status: 'accepted' });
    expect(out.digits).toHaveLength(7);
    out.quad.forEach((p, i) => p.forEach((v, k) => expect(Math.abs(v - quad[i]![k]!)).toBeLessThanOrEqual(0.5)));
    // control: upright boxes around the same drums hold tilted digits and their neighbours
    const boxes = JSON.parse((await metertwin('read', join(dir, 'turned.jpg'), '--meter', join(dir, 'turned-boxes.json'))).stdout) as { value: string };
    expect(boxes.value).not.toBe('00530.12');

    const located = JSON.parse((await metertwin('locate', join(dir, 'turned.jpg'), '--meter', join(dir, 'turned.json'))).stdout) as {
      counter: { quad: number[][]; drums: number[][][] };
    };
    expect(located.counter.drums).toHaveLength(7);
    expect(located.counter.quad).toEqual(out.quad);
  });

  it('registers a later frame to the photo the quad was marked on (--reference), as the services do', async () => {
    const meter = ['--meter', join(dir, 'turned.json'), '--reference', join(dir, 'turned.jpg')];
    const { code, stdout } = await metertwin('read', join(dir, 'moved.jpg'), ...meter);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ value: '00530.12', status: 'accepted' });
    const located = JSON.parse((await metertwin('locate', join(dir, 'moved.jpg'), ...meter)).stdout) as {
      registration: { status: string; motion: { rotationDeg: number } };
    };
    expect(located.registration.status).toBe('aligned');
    expect(Math.abs(located.registration.motion.rotationDeg - 4)).toBeLessThan(1);
    // control: the same corners taken as pixels of the moved frame cut the drums in the wrong place
    const unregistered = JSON.parse((await metertwin('read', join(dir, 'moved.jpg'), '--meter', join(dir, 'turned.json'))).stdout) as { value: string; status: string };
    expect(unregistered).not.toMatchObject({ value: '00530.12', status: 'accepted' });
  });

  it('refuses a bad meter file with the reason and exit 2, for read and locate', async () => {
    const cases: [string, object, RegExp][] = [
      ['crossed', { windowQuad: [quad[0], quad[2], quad[1], quad[3]], drums: 7 }, /windowQuad: the window quad crosses itself/],
      ['outside', { windowQuad: quad.map(([x, y]) => [x! + 400, y]), drums: 7 }, /outside the 640×480 photo/],
      ['no drums', { windowQuad: quad, drums: 0 }, /drums: Too small/i],
      ['20 drums', { windowQuad: quad, drums: 20 }, /drums: Too big/i],
      ['dial off the photo', { windowQuad: quad, drums: 7, dials: [[620, 300, 40]] }, /dials\.0: the dial \[620, 300, 40\] does not lie inside/],
    ];
    for (const [name, file, reason] of cases) {
      await writeFile(join(dir, 'bad.json'), JSON.stringify(file));
      for (const command of ['read', 'locate']) {
        const { code, stdout } = await metertwin(command, join(dir, 'turned.jpg'), '--meter', join(dir, 'bad.json'));
        expect({ name, command, code }).toEqual({ name, command, code: 2 });
        expect((JSON.parse(stdout) as { error: string }).error, `${name} ${command}`).toMatch(reason);
      }
    }
  });
});
