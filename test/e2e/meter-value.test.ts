import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@metertwin/alarms';
import { createMeterWithCamera } from '@metertwin/db';
import { setMeterValue } from '@metertwin/meters';
import { recentMondayUtc, waitFor } from '@metertwin/testing';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

// Composed values and seeds the committed digit model reads right on this meter (as in
// reading-history.test.ts), so what the history decides is the anchor's doing.
const FIRST = { value: '01234.567', seed: 11 };
const HOUR = 3_600_000;
const START = recentMondayUtc(5);

describe("an operator sets the meter's value (anchor), and recognize judges from it", () => {
  let platform: Platform;
  let first: ComposedMeter;
  let meter: { meterId: string; deviceToken: string };
  let orgId: string;
  let userId: string;

  /** Posts a frame of the meter taken at `takenAt` and waits for its reading. */
  async function frame(value: string, seed: number, takenAt: Date) {
    const photo = seed === FIRST.seed ? first : await composeMeter({ value, digits: 5, decimals: 3, seed, meter: first.truth.meter, mount: first.truth.mount });
    const response = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${meter.deviceToken}`, 'x-taken-at': takenAt.toISOString() },
      body: new Uint8Array(photo.jpeg),
    });
    expect(response.status).toBe(202);
    const { captureId } = (await response.json()) as { captureId: string };
    const reading = await waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), { what: `the reading of ${value}` });
    expect((reading.digits as Array<{ digit: number }>).map((d) => d.digit).join('')).toBe(photo.truth.display.replace('.', ''));
    return { ...reading, consumption: reading.consumption && Number(reading.consumption) };
  }

  beforeAll(async () => {
    platform = await startPlatform();
    first = await composeMeter({ ...FIRST, digits: 5, decimals: 3 });
    orgId = (await platform.prisma.organization.create({ data: { name: 'Anchor Water', slug: 'anchor-water' } })).id;
    userId = (await platform.prisma.user.create({ data: { orgId, email: 'op@anchor.test', name: 'Op', passwordHash: 'x', role: 'operator' } })).id;
    meter = await createMeterWithCamera(platform.prisma, { orgId, name: 'Swapped meter', digits: 8, decimals: 3, layout: first.layout });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('accepts the new meter at once from the value the operator set, counts consumption from it, and keeps the stretches apart', async () => {
    await frame(FIRST.value, FIRST.seed, new Date(START));
    const before = await frame('01234.890', 12, new Date(START + HOUR));
    expect(before.status).toBe('accepted');

    // The meter was swapped: the new one reads 00000.100.
    const swappedAt = new Date(START + 2 * HOUR - 60_000);
    const actor = { orgId, type: 'user' as const, id: userId };
    const anchor = await setMeterValue(platform.prisma, actor, meter.meterId, { value: '00000.100', at: swappedAt.toISOString(), reason: 'meter replaced' });

    const after = await frame('00000.350', 17, new Date(START + 2 * HOUR));
    // Without the anchor this is a negative flow from 1234.890, rejected until three agree.
    expect(after).toMatchObject({ status: 'accepted', value: '00000.350', reanchored: false, reason: null });
    expect(after.consumption).toBeCloseTo(0.25, 6);

    // A photo of the old meter delivered late is judged in its own stretch and splits nothing after the anchor.
    const late = await frame('01235.210', 13, new Date(START + 1.5 * HOUR));
    expect(late).toMatchObject({ status: 'accepted', value: '01235.210' });
    expect(late.consumption).toBeCloseTo(0.32, 6);
    const afterAgain = await platform.prisma.reading.findUniqueOrThrow({ where: { id: after.id } });
    expect(Number(afterAgain.consumption)).toBeCloseTo(0.25, 6);

    const audit = await platform.prisma.auditLog.findFirstOrThrow({ where: { action: 'meter.value.set', entityId: meter.meterId } });
    expect(audit).toMatchObject({ orgId, actorType: 'user', actorId: userId });
    expect(audit.data).toEqual({ anchorId: anchor.id, value: '00000.100', setAt: swappedAt.toISOString(), reason: 'meter replaced' });
  });

  it("refuses a value the counter cannot show, a moment in the future, and another organization's meter", async () => {
    const actor = { orgId, type: 'user' as const, id: userId };
    const refusal = (input: { value: string; at?: string }, as = actor) =>
      setMeterValue(platform.prisma, as, meter.meterId, { reason: 'typo test', ...input }).then(
        () => 'set',
        (error: unknown) => (error instanceof DomainError ? `${error.kind}: ${error.message}` : String(error)),
      );
    expect(await refusal({ value: '123456.000' })).toBe('invalid: the counter has 5 drums before the decimal point');
    expect(await refusal({ value: '1.0001' })).toBe('invalid: the counter has 3 decimal drums');
    expect(await refusal({ value: '1.5', at: new Date(Date.now() + 3_600_000).toISOString() })).toBe('invalid: the moment is in the future');
    const stranger = (await platform.prisma.organization.create({ data: { name: 'Other', slug: 'anchor-other' } })).id;
    expect(await refusal({ value: '1.5' }, { orgId: stranger, type: 'user', id: userId })).toBe('not-found: meter not found');
    expect(await platform.prisma.meterAnchor.count({ where: { meterId: meter.meterId } })).toBe(1);
  });
});
