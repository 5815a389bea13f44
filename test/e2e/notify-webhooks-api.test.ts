import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '@metertwin/contracts';
import { waitFor } from '@metertwin/testing';
import {
  createOrgAndMeter,
  insertReadings,
  notifyReadings,
  startNotifyHarness,
  type NotifyHarness,
} from './notify-harness.js';

describe('webhook management API and the outbox reconciler', () => {
  let harness: NotifyHarness;
  let receiver: Server;
  let url: string;
  const received: { eventId: string; status: number }[] = [];
  let failNext = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = failNext-- > 0 ? 503 : 200;
        received.push({ eventId: String(req.headers['x-metertwin-event-id']), status });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    harness = await startNotifyHarness({
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_BACKOFF_MS: '100',
      RECONCILE_MS: '300',
      RECONCILE_AFTER_MS: '0',
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('creates, lists, updates, rotates and deletes subscriptions; the secret is shown only on create and rotate', async () => {
    const { orgId } = await createOrgAndMeter(harness.prisma, 'hooks-api');
    expect(
      (
        await harness.api(orgId, 'POST', '/v1/webhooks', {
          url: 'http://169.254.169.254/x',
          events: ['alarm.raised'],
        })
      ).body.message,
    ).toMatch(/refused: 169\.254\.169\.254 .*cloud metadata/);
    expect(
      (await harness.api(orgId, 'POST', '/v1/webhooks', { url, events: ['alarm.exploded'] })).status,
    ).toBe(400);
    expect(
      (
        await harness.api(orgId, 'POST', '/v1/webhooks', {
          url: 'ftp://example.com/',
          events: ['alarm.raised'],
        })
      ).status,
    ).toBe(400);

    const created = await harness.api(orgId, 'POST', '/v1/webhooks', {
      url,
      events: ['alarm.raised', 'alarm.raised', 'alarm.cleared'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      orgId,
      url,
      events: ['alarm.raised', 'alarm.cleared'],
      enabled: true,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const listed = await harness.api(orgId, 'GET', `/v1/webhooks`);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).not.toHaveProperty('secret');

    const patched = await harness.api(orgId, 'PATCH', `/v1/webhooks/${created.body.id}`, {
      events: ['reading.accepted'],
      enabled: false,
    });
    expect(patched.body).toMatchObject({ events: ['reading.accepted'], enabled: false });
    expect(patched.body).not.toHaveProperty('secret');
    const rotated = await harness.api(orgId, 'PATCH', `/v1/webhooks/${created.body.id}`, {
      rotateSecret: true,
    });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect((await harness.prisma.webhook.findUniqueOrThrow({ where: { id: created.body.id } })).secret).toBe(
      rotated.body.secret,
    );

    expect((await harness.api(orgId, 'DELETE', `/v1/webhooks/${created.body.id}`)).status).toBe(204);
    expect((await harness.api(orgId, 'GET', `/v1/webhooks/${created.body.id}`)).status).toBe(404);
    // The same operations as the portal's (packages/webhook-subscriptions): audited, by the API key.
    const audit = await harness.prisma.auditLog.findMany({
      where: { entityType: 'webhook', entityId: created.body.id },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ['webhook.created', 'api-key'],
      ['webhook.updated', 'api-key'],
      ['webhook.updated', 'api-key'],
      ['webhook.deleted', 'api-key'],
    ]);
    expect(audit[2]!.data).toEqual({ secretRotated: true });
  });

  it('lists deliveries with their response codes, and replays one with the same event id', async () => {
    const { orgId, meter } = await createOrgAndMeter(harness.prisma, 'hooks-log');
    await harness.prisma.rule.create({
      data: { orgId, meterId: meter.id, type: 'threshold', config: { above: 1 } },
    });
    const webhook = (await harness.api(orgId, 'POST', '/v1/webhooks', { url, events: ['alarm.raised'] }))
      .body;
    failNext = 2;
    await notifyReadings(
      harness,
      meter.id,
      await insertReadings(harness.prisma, meter.id, [{ takenAt: new Date(), value: 5 }]),
    );
    const [delivered] = await waitFor(
      async () => {
        const log = (
          await harness.api(orgId, 'GET', `/v1/webhooks/${webhook.id}/deliveries?status=delivered`)
        ).body;
        return log.length === 1 && log;
      },
      { what: 'the delivery after two failures' },
    );
    expect(delivered).toMatchObject({
      event: 'alarm.raised',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(received.filter((r) => r.eventId === delivered.eventId).map((r) => r.status)).toEqual([
      503, 503, 200,
    ]);

    expect((await harness.api(orgId, 'POST', `/v1/webhooks/deliveries/${delivered.id}/replay`)).status).toBe(
      202,
    );
    await waitFor(() => received.filter((r) => r.eventId === delivered.eventId).length === 4, {
      what: 'the replay',
    });
    expect((await harness.api(orgId, 'GET', `/v1/webhooks/${webhook.id}/deliveries?limit=0`)).status).toBe(
      400,
    );
  });

  it('queues again a pending delivery whose job is gone (notify stopped between the row and the job), once', async () => {
    const { orgId } = await createOrgAndMeter(harness.prisma, 'hooks-sweep');
    const webhook = await harness.prisma.webhook.create({
      data: { orgId, url, secret: 'whsec_sweep', events: ['alarm.raised'] },
    });
    // The outbox row a crashed emit left behind: no job in Redis.
    const orphan = await harness.prisma.webhookDelivery.create({
      data: {
        webhookId: webhook.id,
        eventId: 'alarm.raised:orphan:1',
        event: 'alarm.raised',
        payload: {
          id: 'alarm.raised:orphan:1',
          type: 'alarm.raised',
          createdAt: new Date().toISOString(),
          data: {},
        },
      },
    });
    const done = await waitFor(
      async () => {
        const row = await harness.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: orphan.id } });
        return row.status === 'delivered' && row;
      },
      { what: 'the reconciler to deliver the orphan' },
    );
    expect(done).toMatchObject({ attempts: 1, lastStatusCode: 200 });
    // More passes go by; it is not sent again.
    await new Promise((r) => setTimeout(r, 900));
    expect(received.filter((r) => r.eventId === 'alarm.raised:orphan:1')).toHaveLength(1);
  });

  it('retries a pending delivery whose job failed for good before it recorded so', async () => {
    const { orgId } = await createOrgAndMeter(harness.prisma, 'hooks-failed-job');
    const webhook = await harness.prisma.webhook.create({
      data: { orgId, url, secret: 'whsec_failed', events: ['alarm.raised'] },
    });
    const delivery = await harness.prisma.webhookDelivery.create({
      data: {
        webhookId: webhook.id,
        eventId: 'alarm.raised:failed-job:1',
        event: 'alarm.raised',
        payload: {
          id: 'alarm.raised:failed-job:1',
          type: 'alarm.raised',
          createdAt: new Date().toISOString(),
          data: {},
        },
      },
    });
    // Its job fails for good (the subscriber answers 503 on the only attempt)...
    failNext = 1;
    await harness.queues
      .get(QueueName.WebhookDelivery)
      .add(QueueName.WebhookDelivery, { v: 1, deliveryId: delivery.id }, { jobId: delivery.id, attempts: 1 });
    await waitFor(
      async () =>
        (await harness.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status ===
        'failed',
      { what: 'the only attempt to fail' },
    );
    // ...and the worker stopped before it recorded so: the row still says pending, the job sits in the failed set.
    await harness.prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'pending' } });
    const done = await waitFor(
      async () => {
        const row = await harness.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
        return row.status === 'delivered' && row;
      },
      { what: 'the reconciler to retry the failed job' },
    );
    expect(done.lastStatusCode).toBe(200);
    // The failed attempt and the one the reconciler drove on; nothing more.
    expect(received.filter((r) => r.eventId === 'alarm.raised:failed-job:1').map((r) => r.status)).toEqual([503, 200]);
  });
});
