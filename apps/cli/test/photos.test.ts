import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Box, Quad } from '@metertwin/contracts';
import { loadMeterPhotos, type MeterPhoto } from '@metertwin/sample-data';
import { buildAlignment, decodeFrame, iou, locateFrame, quadLayout } from '@metertwin/vision';

// Real photos of real meters (packages/sample-data/photos, labelled by eye), each read end to end
// by the command line as a user would: `read PHOTO --meter <its setup's meter.json>`, registered to
// the photo that meter file was marked on (`--reference`) unless it is that photo.
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

interface Reading {
  value?: string;
  status?: string;
  error?: string;
}

async function read(photo: MeterPhoto, { withMeterFile = true } = {}): Promise<Reading> {
  const args = ['--conditions=source', 'apps/cli/src/main.ts', 'read', photo.file];
  if (withMeterFile) args.push('--meter', photo.meterFile);
  if (withMeterFile && photo.markedOn !== photo.file) args.push('--reference', photo.markedOn);
  // read exits 2 for a reading to review and 1 for a photo it rejects: the JSON on stdout says which
  const stdout = await run(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '{}',
  );
  return JSON.parse(stdout.split('\n')[0]!) as Reading;
}

/** The counter's integer part as read, compared with the label's (decimal drums and dials are not judged). */
function integerRight(photo: MeterPhoto, reading: Reading): boolean {
  return reading.value !== undefined && photo.counter.some((c) => Number(c.split('.')[0]) === Number(reading.value!.split('.')[0]));
}

describe('real meter photos, read with their meter files', () => {
  const photos = loadMeterPhotos();
  const readings = new Map<MeterPhoto, Reading>();

  beforeAll(async () => {
    for (const photo of photos) readings.set(photo, await read(photo));
  }, 900_000);

  it('accepts no wrong reading', () => {
    const wrongAccepted = photos.filter((p) => readings.get(p)!.status === 'accepted' && !integerRight(p, readings.get(p)!));
    expect(wrongAccepted.map((p) => `${p.setup}/${path.basename(p.file)}: ${readings.get(p)!.value}`)).toEqual([]);
  });

  it('reads the integer part right on at least the 21 of 26 measured (docs/models.md, "Real photos")', () => {
    const right = photos.filter((p) => integerRight(p, readings.get(p)!));
    expect(photos).toHaveLength(26);
    expect(right.length).toBeGreaterThanOrEqual(21);
  });

  it('reads every photo a meter file was marked on right (no registration involved)', () => {
    const marked = photos.filter((p) => p.markedOn === p.file);
    expect(marked.length).toBeGreaterThanOrEqual(6);
    for (const p of marked) expect(integerRight(p, readings.get(p)!), `${p.setup}: ${readings.get(p)!.value}`).toBe(true);
  });

  it('answers every photo: a reading, or a reason it cannot align the photo', () => {
    for (const p of photos) {
      const r = readings.get(p)!;
      expect(r.value ?? r.error, p.file).toBeTruthy();
    }
  });
});

/** Where the counter is on the photo: its setup's marked quad, registered to the photo as `read --reference` does (as marked where that fails: a fixed camera). */
async function trueWindow(photo: MeterPhoto): Promise<Quad> {
  const meter = JSON.parse(readFileSync(photo.meterFile, 'utf8')) as { windowQuad: Quad; drums: number };
  if (photo.markedOn === photo.file) return meter.windowQuad;
  const reference = await decodeFrame(readFileSync(photo.markedOn));
  const layout = quadLayout(meter, reference);
  const located = await locateFrame(await decodeFrame(readFileSync(photo.file)), { ...layout, alignment: await buildAlignment(reference, layout) });
  return located.registration.status === 'aligned' && located.counter ? located.counter.quad : meter.windowQuad;
}

const bounds = (q: Quad): Box => {
  const xs = q.map((p) => p[0]);
  const ys = q.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
};

/** The detected drum row is on the counter: its centre inside the true window, and the two overlap (IoU of their bounds ≥ 0.3). */
function onCounter(found: Quad, truth: Quad): boolean {
  const [x, y] = [found.reduce((a, p) => a + p[0], 0) / 4, found.reduce((a, p) => a + p[1], 0) / 4];
  const sides = truth.map(([ax, ay], i) => {
    const [bx, by] = truth[(i + 1) % 4]!;
    return Math.sign((bx - ax) * (y - ay) - (by - ay) * (x - ax));
  });
  return (sides.every((s) => s >= 0) || sides.every((s) => s <= 0)) && iou(bounds(found), bounds(truth)) >= 0.3;
}

describe('real meter photos without a meter file', () => {
  it('locates the counter, not the serial number printed below it, on at least the 25 of 26 measured, with its number of drums on 21 (docs/models.md, "Real photos")', async () => {
    const found: string[] = [];
    const drumsRight: string[] = [];
    for (const photo of loadMeterPhotos()) {
      // locate exits 2 when it finds no window: the JSON on stdout says so
      const stdout = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['--conditions=source', 'apps/cli/src/main.ts', 'locate', photo.file], { cwd: ROOT }).then(
        (r) => r.stdout,
        (e: { stdout?: string }) => e.stdout ?? '{}',
      );
      const { quad, digits } = JSON.parse(stdout) as { quad?: Quad; digits?: Box[] };
      if (!quad || !onCounter(quad, await trueWindow(photo))) continue;
      found.push(photo.file);
      const { drums } = JSON.parse(readFileSync(photo.meterFile, 'utf8')) as { drums: number };
      if (digits?.length === drums) drumsRight.push(photo.file);
    }
    // before the counter cues (spacing, clean gaps, size) it was 2: the serial number won on 18; 24
    // before the drums a row is extended by counted in its score (a row of housing texture won)
    expect(found.length).toBeGreaterThanOrEqual(25);
    // 14 while the row grew onto the "m³" beside the counter (now kept out: its ink spans less height)
    expect(drumsRight.length).toBeGreaterThanOrEqual(21);
  }, 900_000);

  it('takes no reading as it stands: the window found is detected, not marked, and may be another row of digits', async () => {
    const photos = loadMeterPhotos();
    const readings: Reading[] = [];
    for (const photo of photos) readings.push(await read(photo, { withMeterFile: false }));
    // before this rule, 4 of these were accepted, 3 of them wrong
    expect(readings.filter((r) => r.status === 'accepted')).toEqual([]);
    expect(readings.filter((r) => r.status === 'needs_review').length).toBeGreaterThan(0);
    // the value offered for review: 3 of 26 right once a level window was also read upside down (the
    // way whose drums stand as a counter's can winning), 18 since the row stops short of the "m³", is
    // cut to its whole digits' height, and the way round whose first drums read 0 wins a tie
    expect(photos.filter((p, i) => integerRight(p, readings[i]!)).length).toBeGreaterThanOrEqual(18);
  }, 900_000);
});
