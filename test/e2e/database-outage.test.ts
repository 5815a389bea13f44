import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeterWithCamera, createPrismaClient, isDatabaseUnavailable } from '@metertwin/db';
import { composeMeter } from '@metertwin/composer';
import { waitFor } from '@metertwin/testing';
import { startPlatform, type Platform } from './platform.js';

describe('Postgres connections lost under the services', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('tells a lost connection from a wrong request', async () => {
    const client = createPrismaClient(platform.env.DATABASE_URL!);
    try {
      await client.meter.count();
      const inFlight = client.$queryRaw`SELECT pg_sleep(5)`.catch((error: unknown) => error);
      await new Promise((r) => setTimeout(r, 300));
      await platform.prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(5)%' AND pid <> pg_backend_pid()`;
      expect(isDatabaseUnavailable(await inFlight)).toBe(true);
      const wrong = await client.meter.create({ data: { orgId: 'no such org', name: 'x', digits: 5, decimals: 0 } }).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(wrong)).toBe(false);
    } finally {
      await client.$disconnect();
    }
  });

  it('answers an upload 503 with Retry-After, never 500, and takes the frame when sent again', async () => {
    const org = await platform.prisma.organization.create({ data: { name: 'Outage', slug: `outage-${Date.now()}` } });
    const meter = await createMeterWithCamera(platform.prisma, { orgId: org.id, name: 'outage', digits: 8, decimals: 3 });
    const [first, second] = await Promise.all(
      ['00071.125', '00072.125'].map((value, seed) => composeMeter({ value, digits: 5, decimals: 3, seed })),
    );
    const upload = (jpeg: Buffer) =>
      fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${meter.deviceToken}`, 'content-type': 'image/jpeg' },
        body: new Uint8Array(jpeg),
      });
    expect((await upload(first!.jpeg)).status).toBe(202);

    // Ingest's queries wait on a lock while every other session is ended: they are in flight when
    // their connection dies, as during a Postgres restart or failover.
    let answer: Promise<Response> | undefined;
    await platform.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`LOCK TABLE "Capture" IN ACCESS EXCLUSIVE MODE`;
        answer = upload(second!.jpeg);
        await waitFor(
          async () =>
            (await tx.$queryRaw<[{ n: number }]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)[0].n > 0,
          { timeoutMs: 10_000, what: 'ingest to wait on the lock' },
        );
        // The answer is awaited after the commit: a query ingest sends on a new connection meanwhile
        // would otherwise wait on this lock while this transaction waits on its answer.
        await tx.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    const refused = await answer!;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { message: string }).message).toMatch(/database is unavailable/);

    // The device sends it again: taken, and nothing accepted before was lost.
    expect((await upload(second!.jpeg)).status).toBe(202);
    expect(await platform.prisma.capture.count({ where: { meterId: meter.meterId } })).toBe(2);
  }, 120_000);
});
