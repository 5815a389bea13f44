import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera } from '@metertwin/db';
import { composeMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from '../e2e/platform.js';

describe('the upload API under arbitrary requests', () => {
  let platform: Platform;
  let meter: { meterId: string; deviceToken: string };
  let jpeg: Buffer;
  beforeAll(async () => {
    platform = await startPlatform();
    const org = await platform.prisma.organization.create({
      data: { name: 'Fuzz', slug: `fuzz-${Date.now()}` },
    });
    jpeg = (await composeMeter({ value: '00042.125', digits: 5, decimals: 3, seed: 4 })).jpeg;
    meter = await createMeterWithCamera(platform.prisma, {
      orgId: org.id,
      name: 'fuzzed',
      digits: 8,
      decimals: 3,
    });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('never answers 5xx, and stores a capture exactly when it answers 202', async () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }),
      // The real photo, cut short or with bytes flipped.
      fc
        .tuple(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }))
        .map(([cut, flips]) => {
          const bytes = Buffer.from(jpeg.subarray(0, Math.max(2, cut % jpeg.length)));
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          return new Uint8Array(bytes);
        }),
      fc.constant(new Uint8Array(jpeg)),
    );
    const request = fc.record({
      meterId: fc.oneof(
        fc.constant(meter.meterId),
        fc.uuid(),
        fc.string({ maxLength: 40 }).map(encodeURIComponent),
      ),
      token: fc.oneof(fc.constant(meter.deviceToken), fc.string({ maxLength: 60 }), fc.constant('')),
      type: fc.oneof(
        fc.constantFrom(
          'image/jpeg',
          'image/png',
          'application/json',
          'text/plain',
          'multipart/form-data',
          '',
        ),
        fc.string({ maxLength: 30 }),
      ),
      takenAt: fc.option(
        fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string({ maxLength: 40 }),
        ),
        { nil: undefined },
      ),
      body,
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const before = await platform.prisma.capture.count({ where: { meterId: meter.meterId } });
        const headers: Record<string, string> = {};
        if (r.token) headers.authorization = `Bearer ${r.token}`;
        if (r.type) headers['content-type'] = r.type.replace(/[\r\n]/g, '');
        if (r.takenAt) headers['x-taken-at'] = r.takenAt.replace(/[^\x20-\x7e]/g, '');
        const res = await fetch(`${platform.ingestUrl}/v1/meters/${r.meterId}/captures`, {
          method: 'POST',
          headers,
          body: r.body,
        });
        const answer = (await res.json().catch(() => ({}))) as { duplicate?: boolean };
        expect(res.status).toBeLessThan(500);
        const after = await platform.prisma.capture.count({ where: { meterId: meter.meterId } });
        if (res.status === 202 && !answer.duplicate) expect(after).toBe(before + 1);
        else expect(after).toBe(before);
      }),
      { numRuns: 120, seed: 42 },
    );
    expect((await fetch(`${platform.ingestUrl}/healthz`)).status).toBe(200);
  }, 240_000);
});
