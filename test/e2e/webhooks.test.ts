import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { startNotify } from '@metertwin/notify';
import { createApiKey } from '@metertwin/db';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { waitFor } from '@metertwin/testing';
import { startPlatform, type Platform } from './platform.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The signature checked against the webhook's secret, as a subscriber would. */
  signatureValid: boolean;
}

/** The subscriber: on 127.0.0.1 only; answers each path with its queued status codes, then 200. */
async function startReceiver(secrets: Map<string, string>) {
  const received: Received[] = [];
  const answers = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const timestamp = String(req.headers['x-metertwin-timestamp']);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secrets.get(path) ?? '').update(`${timestamp}.${body}`).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-metertwin-signature']));
      received.push({ path, headers: req.headers, body, signatureValid: given.length === expected.length && timingSafeEqual(given, expected) });
      res.statusCode = answers.get(path)?.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    answers,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('signed webhooks', () => {
  let platform: Platform;
  let queues: QueueService;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const secrets = new Map<string, string>();
  let notifyJobs = 0;

  beforeAll(async () => {
    receiver = await startReceiver(secrets);
    platform = await startPlatform({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_MS: '200', WEBHOOK_MAX_ATTEMPTS: '5' });
    queues = platform.apps.recognize.get(QueueService);
  });

  afterAll(async () => {
    await platform?.stop();
    await receiver?.close();
  });

  async function setup(slug: string, path: string, events: string[]) {
    const org = await platform.prisma.organization.create({ data: { name: slug, slug } });
    const meter = await platform.prisma.meter.create({ data: { orgId: org.id, name: `${slug} meter`, digits: 8, decimals: 3, timeZone: 'UTC' } });
    await platform.prisma.rule.create({ data: { orgId: org.id, meterId: meter.id, type: 'threshold', config: { above: 100 }, severity: 'major' } });
    const secret = `whsec_${randomUUID()}`;
    secrets.set(path, secret);
    const webhook = await platform.prisma.webhook.create({ data: { orgId: org.id, url: receiver.url(path), secret, events } });
    return { meter, webhook };
  }

  /** Stores an accepted reading (as recognize would) and has notify evaluate it. */
  async function read(meterId: string, value: number) {
    const readingId = randomUUID();
    const captureId = randomUUID();
    const takenAt = new Date();
    await platform.prisma.capture.create({
      data: { id: captureId, meterId, sha256: randomUUID(), storageKey: `test/${captureId}.jpg`, contentType: 'image/jpeg', bytes: 1, source: 'upload', takenAt, status: 'recognized' },
    });
    await platform.prisma.reading.create({
      data: { id: readingId, meterId, captureId, value: value.toFixed(3).padStart(9, '0'), numeric: value, digits: [], confidence: 0.99, status: 'accepted', modelVersion: 'test', takenAt },
    });
    await queues.add(QueueName.Notify, { v: 1, readingId, meterId, captureId }, { jobId: jobId.notify(readingId) });
    notifyJobs++;
    await waitFor(async () => (await queues.counts(QueueName.Notify)).completed === notifyJobs, { what: 'notify to evaluate the reading' });
    return readingId;
  }

  let delivered: { id: string; eventId: string; path: string };

  it('retries a failing subscriber with backoff and delivers the signed alarm.raised event once', async () => {
    const { meter, webhook } = await setup('hooks-retry', '/retry', ['alarm.raised']);
    receiver.answers.set('/retry', [500, 500]);
    await platform.prisma.organization.update({ where: { id: meter.orgId }, data: { defaultLocale: 'ko' } });
    await read(meter.id, 150);
    const alarm = await platform.prisma.alarm.findFirstOrThrow({ where: { meterId: meter.id } });

    const delivery = await waitFor(
      () => platform.prisma.webhookDelivery.findFirst({ where: { webhookId: webhook.id, status: { not: 'pending' } } }),
      { what: 'the delivery to finish', timeoutMs: 15_000 },
    );
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, event: 'alarm.raised', eventId: `alarm.raised:${alarm.id}:1` });
    expect(delivery.deliveredAt).toBeInstanceOf(Date);
    // Only the subscribed event: the accepted reading made no delivery for this webhook.
    expect(await platform.prisma.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(1);

    const requests = receiver.received.filter((r) => r.path === '/retry');
    expect(requests).toHaveLength(3);
    for (const r of requests) {
      expect(r.signatureValid).toBe(true);
      expect(r.headers['x-metertwin-event-id']).toBe(delivery.eventId);
      expect(Math.abs(Number(r.headers['x-metertwin-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(r.headers['content-type']).toBe('application/json');
      const body = JSON.parse(r.body) as { id: string; type: string; createdAt: string; data: Record<string, unknown> };
      expect(body).toMatchObject({ id: delivery.eventId, type: 'alarm.raised', createdAt: alarm.raisedAt.toISOString() });
      expect(body.data).toMatchObject({ alarmId: alarm.id, meterId: meter.id, severity: 'major', message: 'reading 150 is above 100' });
      // Added for subscribers who show it: the text as a code, and in the organization's language.
      expect(body.data).toMatchObject({ messageCode: 'threshold.above', messageParams: { value: '150', limit: 100 }, messageLocale: 'ko', localizedMessage: '검침값 150, 상한 100 초과' });
    }
    delivered = { id: delivery.id, eventId: delivery.eventId, path: '/retry' };
  });

  it('sends reading.accepted and alarm.cleared to the webhooks subscribed to them', async () => {
    const { meter, webhook } = await setup('hooks-events', '/events', ['reading.accepted', 'alarm.cleared']);
    const high = await read(meter.id, 150);
    const low = await read(meter.id, 50);
    const alarm = await platform.prisma.alarm.findFirstOrThrow({ where: { meterId: meter.id } });
    await waitFor(async () => (await platform.prisma.webhookDelivery.count({ where: { webhookId: webhook.id, status: 'delivered' } })) === 3, {
      what: 'three deliveries',
    });
    const eventIds = (await platform.prisma.webhookDelivery.findMany({ where: { webhookId: webhook.id } })).map((d) => d.eventId).toSorted();
    expect(eventIds).toEqual([`alarm.cleared:${alarm.id}`, `reading.accepted:${high}`, `reading.accepted:${low}`].toSorted());
    expect(receiver.received.filter((r) => r.path === '/events').every((r) => r.signatureValid)).toBe(true);
  });

  it('replays a delivered event with the same event id', async () => {
    const before = receiver.received.length;
    const notifyUrl = await serviceUrl(platform.apps.notify);
    const replay = (id: string, token?: string) =>
      fetch(`${notifyUrl}/v1/webhooks/deliveries/${id}/replay`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    const { orgId } = await platform.prisma.webhook.findFirstOrThrow({ where: { deliveries: { some: { id: delivered.id } } } });
    const key = (await createApiKey(platform.prisma, { orgId, name: 'ops script', scopes: ['read', 'write'] })).token;
    const otherOrg = await platform.prisma.organization.create({ data: { name: 'Other', slug: `other-${randomUUID()}` } });
    const foreignKey = (await createApiKey(platform.prisma, { orgId: otherOrg.id, name: 'other', scopes: ['read', 'write'] })).token;
    expect((await replay(delivered.id)).status).toBe(401);
    // The global admin token is for operations (the dead-letter view), not for an organization's data.
    expect((await replay(delivered.id, platform.env.ADMIN_TOKEN)).status).toBe(401);
    expect((await replay(delivered.id, foreignKey)).status).toBe(404);
    const res = await replay(delivered.id, key);
    expect(res.status).toBe(202);
    const replayed = await waitFor(
      async () => {
        const d = await platform.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivered.id } });
        return d.status === 'delivered' && d;
      },
      { what: 'the replay to be delivered' },
    );
    expect(replayed).toMatchObject({ attempts: 1, lastStatusCode: 200, eventId: delivered.eventId });
    const again = receiver.received.slice(before).filter((r) => r.path === delivered.path);
    expect(again).toHaveLength(1);
    expect(again[0]!.headers['x-metertwin-event-id']).toBe(delivered.eventId);
    expect(again[0]!.signatureValid).toBe(true);
    expect((await replay(randomUUID(), key)).status).toBe(404);
  });

  it('refuses a loopback destination without the allow-list: failed, not retried, no request', async () => {
    // The same receiver, but notify now runs without OUTBOUND_ALLOWED_HOSTS.
    await platform.apps.notify.close();
    platform.apps.notify = await startNotify({ ...platform.env, OUTBOUND_ALLOWED_HOSTS: '' }, { handleSignals: false });
    const { meter, webhook } = await setup('hooks-refused', '/refused', ['alarm.raised']);
    await read(meter.id, 150);
    const delivery = await waitFor(
      () => platform.prisma.webhookDelivery.findFirst({ where: { webhookId: webhook.id, status: 'failed' } }),
      { what: 'the delivery to be refused' },
    );
    expect(delivery.attempts).toBe(1);
    expect(delivery.lastStatusCode).toBeNull();
    expect(delivery.lastError).toBe('refused: 127.0.0.1 is a loopback address which the platform never connects to');
    const job = await queues.get(QueueName.WebhookDelivery).getJob(delivery.id);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('failed');
    expect(receiver.received.filter((r) => r.path === '/refused')).toHaveLength(0);
  });
});
