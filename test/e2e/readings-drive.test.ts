import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera } from '@metertwin/db';
import { recentMondayUtc, waitFor } from '@metertwin/testing';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

// A counter whose drums turn continuously (each a tenth of its neighbour's turn), read through ingest →
// preprocess → recognize: the 3.45, 4.56, 5.67 … drums of 01234.5678 are half-way between digits. On a
// meter left on `auto` they are read as the digits they have passed; on a meter configured as a jump
// drive no such photo can be true, and it goes to review with the reason.
const VALUE = '01234.5678';
const STYLE = { digits: 5, decimals: 3, effects: 0.1, drive: 'continuous' } as const;
const START = recentMondayUtc(6);

describe("a photo is judged against the meter's drive", () => {
  let platform: Platform;
  let photo: ComposedMeter;
  let org: { id: string };

  beforeAll(async () => {
    platform = await startPlatform();
    photo = await composeMeter({ ...STYLE, value: VALUE, seed: 4 });
    org = await platform.prisma.organization.create({ data: { name: 'Drive Water', slug: 'drive-water' } });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function readOn(name: string, readingRules: object) {
    const meter = await createMeterWithCamera(platform.prisma, { orgId: org.id, name, digits: 8, decimals: 3, layout: photo.layout });
    await platform.prisma.meter.update({ where: { id: meter.meterId }, data: { readingRules } });
    const response = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${meter.deviceToken}`, 'x-taken-at': new Date(START).toISOString() },
      body: new Uint8Array(photo.jpeg),
    });
    expect(response.status).toBe(202);
    const { captureId } = (await response.json()) as { captureId: string };
    return waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), { what: `the reading on ${name}` });
  }

  it('accepts the half-way drums as the digits they have passed on a meter left on auto', async () => {
    expect(photo.truth.wheels.slice(3, 7).map((w) => w.label)).toEqual([3.4, 4.5, 5.6, 6.7]);
    // Lower the bar for this composed photo's weakest drum: the drive is what is tested.
    const reading = await readOn('Auto meter', { minConfidence: 0.5 });
    expect(reading.value).toBe('01234.567');
    expect(reading.status, reading.reason ?? '').toBe('accepted');
  });

  it('sends the same photo to review on a meter whose drums jump, saying why', async () => {
    const reading = await readOn('Jump meter', { minConfidence: 0.5, drive: 'jump' });
    expect(reading.status).toBe('needs_review');
    expect(reading.reason).toMatch(/^drums contradict a jump drive: drum \d at \d\.\d, drum \d at \d\.\d \(between digits/);
  });
});
