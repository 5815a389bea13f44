import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera } from '@metertwin/db';
import { recentMondayUtc, waitFor } from '@metertwin/testing';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

// Bad input in one camera's sequence: whatever happens, no wrong value is accepted and the readings
// after it are judged against the last good one. Values and seeds of good frames are ones the
// committed digit model reads right (reading-history.test.ts).
const HOUR = 3_600_000;
const START = recentMondayUtc(6);

describe('bad input in a sequence leaves the history usable', () => {
  let platform: Platform;
  let first: ComposedMeter;
  let meter: { meterId: string; deviceToken: string };
  let hour = 0;

  async function post(body: Buffer, contentType: string) {
    const response = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        authorization: `Bearer ${meter.deviceToken}`,
        'x-taken-at': new Date(START + hour++ * HOUR).toISOString(),
      },
      body: new Uint8Array(body),
    });
    expect(response.status).toBe(202);
    const { captureId } = (await response.json()) as { captureId: string };
    // Either a reading, or a capture that failed with its reason.
    return waitFor(
      async () => {
        const capture = await platform.prisma.capture.findUnique({
          where: { id: captureId },
          include: { reading: true },
        });
        return capture && (capture.reading || capture.status === 'failed') ? capture : null;
      },
      { what: `capture ${captureId} to be read or refused` },
    );
  }

  async function frame(value: string, seed: number, extra: { mount?: ComposedMeter['truth']['mount'] } = {}) {
    const photo =
      seed === 11
        ? first
        : await composeMeter({
            value,
            seed,
            digits: 5,
            decimals: 3,
            meter: first.truth.meter,
            mount: extra.mount ?? first.truth.mount,
          });
    const capture = await post(photo.jpeg, 'image/jpeg');
    const r = capture.reading;
    return r
      ? {
          ...r,
          numeric: Number(r.numeric),
          consumption: r.consumption === null ? null : Number(r.consumption),
          energy: r.energy === null ? null : Number(r.energy),
        }
      : null;
  }

  /** The last accepted or corrected value: what the next reading is judged against. */
  async function lastGood() {
    const r = await platform.prisma.reading.findFirst({
      where: { meterId: meter.meterId, status: { in: ['accepted', 'corrected'] } },
      orderBy: { takenAt: 'desc' },
    });
    return Number(r?.numeric);
  }

  beforeAll(async () => {
    // No pointer model here: dials must then be left out, not guessed (the assembly of dials is unit-tested).
    platform = await startPlatform({ POINTER_MODEL_DIR: '/nonexistent/pointer-model' });
    first = await composeMeter({ value: '01234.567', seed: 11, digits: 5, decimals: 3 });
    const org = await platform.prisma.organization.create({
      data: { name: 'Bad Input Heat', slug: 'bad-input-heat' },
    });
    meter = await createMeterWithCamera(platform.prisma, {
      orgId: org.id,
      name: 'Heat meter',
      kind: 'heat',
      digits: 8,
      decimals: 3,
      layout: first.layout,
    });
    await platform.prisma.meter.update({
      where: { id: meter.meterId },
      data: { conversion: { kind: 'factor', kWhPerUnit: 10 }, readingRules: { maxFlowPerHour: 2 } },
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('stores the energy of each interval for a meter with a conversion', async () => {
    const a = await frame('01234.567', 11);
    expect(a).toMatchObject({ status: 'accepted', value: '01234.567', energy: null });
    const b = await frame('01234.890', 12);
    expect(b).toMatchObject({ status: 'accepted', value: '01234.890' });
    expect(b!.consumption).toBeCloseTo(0.323, 6);
    expect(b!.energy).toBeCloseTo(3.23, 6);
  });

  it('a covered lens is refused with its reason and stores no value', async () => {
    const black = sharp({ create: { width: 640, height: 480, channels: 3, background: '#030303' } });
    const capture = await post(await black.png().toBuffer(), 'image/png');
    expect(capture.reading).toBeNull();
    expect(capture.status).toBe('failed');
    expect(capture.error).toBeTruthy();
  });

  it('a bumped camera never makes a wrong value accepted', async () => {
    const truth = '01235.000';
    const bumped = await frame(truth, 31, { mount: { rotationDeg: 6, shift: [70, -45] } });
    if (bumped && (bumped.status === 'accepted' || bumped.status === 'corrected')) {
      expect(bumped.value).toBe(truth); // registered back onto the layout and read right
    }
    // The next good frame is judged against the last good value, whatever the bumped frame gave.
    const before = await lastGood();
    const next = await frame('01235.210', 13);
    expect(next).toMatchObject({ status: 'accepted', value: '01235.210' });
    expect(next!.consumption).toBeCloseTo(1235.21 - before, 6);
  });

  it('a missing hour is one longer interval, not a misread', async () => {
    hour += 2; // the camera missed two frames
    const late = await frame('01235.500', 15);
    expect(late).toMatchObject({ status: 'accepted', value: '01235.500' });
    expect(late!.consumption).toBeCloseTo(0.29, 6);
    expect(late!.flowPerHour).toBeCloseTo(0.29 / 3, 6);
    expect(late!.energy).toBeCloseTo(2.9, 6);
  });

  it('a replaced meter is rejected until consistent readings re-anchor, with no energy across the reset', async () => {
    const one = await frame('00000.120', 16);
    const two = await frame('00000.350', 17);
    expect(one).toMatchObject({ status: 'rejected', energy: null });
    expect(two).toMatchObject({ status: 'rejected', energy: null });
    const three = await frame('00000.610', 18);
    expect(three).toMatchObject({
      status: 'accepted',
      value: '00000.610',
      reanchored: true,
      consumption: null,
      energy: null,
    });
    expect(await lastGood()).toBeCloseTo(0.61, 6);
  });

  it('a meter with pointer dials still gets its drums read when the dials cannot be', async () => {
    const dialed = await composeMeter({ value: '01234.5678', seed: 11, digits: 5, decimals: 3, pointers: 2 });
    expect(dialed.layout.pointers).toHaveLength(2);
    const org = await platform.prisma.organization.findFirstOrThrow();
    const dialMeter = await createMeterWithCamera(platform.prisma, {
      orgId: org.id,
      name: 'Dial meter',
      digits: 8,
      decimals: 3,
      layout: dialed.layout,
    });
    const response = await fetch(`${platform.ingestUrl}/v1/meters/${dialMeter.meterId}/captures`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${dialMeter.deviceToken}` },
      body: new Uint8Array(dialed.jpeg),
    });
    const { captureId } = (await response.json()) as { captureId: string };
    const reading = await waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), {
      what: 'the dial meter reading',
    });
    expect(reading.value).toMatch(/^\d{5}\.\d{3}$/);
    expect((reading.digits as unknown[]).length).toBe(8);
  });
});
