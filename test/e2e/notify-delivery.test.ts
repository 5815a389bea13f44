import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createECDH, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { createPrismaClient, type PrismaClient, type Severity } from '@metertwin/db';
import { quietUntil, startNotify } from '@metertwin/notify';
import { QueueService } from '@metertwin/service-kit';
import { createTestDatabase, type TestDatabase, testSecretsKey, uniqueQueuePrefix, waitFor } from '@metertwin/testing';
import { fakeFcmCredential, startFakeProviders, type FakeProviders } from '../../apps/notify/test/fakes/providers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MINUTE = 60_000;

/** A VAPID key pair as `npx web-push generate-vapid-keys` prints it (P-256, base64url). */
function vapidKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: ecdh.getPrivateKey().toString('base64url') };
}

describe('notifications to people: FCM push, web push, Slack', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let providers: FakeProviders;
  let env: Record<string, string>;
  let app: INestApplication | undefined;
  let queues: QueueService;
  const vapid = vapidKeys();
  let notifyJobs = 0;

  beforeAll(async () => {
    providers = await startFakeProviders();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: uniqueQueuePrefix(),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      RULE_TICK_MS: '3600000',
      SECRETS_KEY: testSecretsKey(),
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      FCM_PROJECT_ID: 'metertwin-test',
      WEB_PUSH_PUBLIC_KEY: vapid.publicKey,
      WEB_PUSH_PRIVATE_KEY: vapid.privateKey,
      WEB_PUSH_SUBJECT: 'mailto:ops@metertwin.test',
      NOTIFY_SWEEP_MS: '200',
      NOTIFY_BACKOFF_MS: '100',
    };
    app = await startNotify(env, {
      handleSignals: false,
      delivery: { fcm: { credential: fakeFcmCredential, httpAgent: providers.fcmAgent() }, webPushAgent: () => providers.webPushAgent() },
    });
    queues = app.get(QueueService);
  });

  afterAll(async () => {
    await app?.close();
    await prisma?.$disconnect();
    await db?.drop();
    await providers?.close();
  });

  async function createOrg(slug: string) {
    return prisma.organization.create({ data: { name: slug, slug } });
  }
  async function createUser(orgId: string, name: string) {
    return prisma.user.create({ data: { orgId, name, email: `${name}-${randomUUID()}@metertwin.test`, passwordHash: 'x', role: 'operator' } });
  }
  async function createMeter(orgId: string, name: string, severity: Severity, above = 1) {
    const meter = await prisma.meter.create({ data: { orgId, name, digits: 8, decimals: 3, timeZone: 'UTC' } });
    const rule = await prisma.rule.create({ data: { orgId, meterId: meter.id, type: 'flow-rate', config: { above }, severity } });
    return { meter, rule };
  }
  async function addWebPush(userId: string) {
    const sub = providers.subscribe(randomUUID());
    return prisma.webPushSubscription.create({ data: { userId, endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth } });
  }

  /** Stores an accepted reading as recognize would; `evaluate` has notify's queue worker judge it. */
  async function store(meterId: string, value: number, takenAt: Date) {
    const captureId = randomUUID();
    await prisma.capture.create({
      data: { id: captureId, meterId, sha256: randomUUID(), storageKey: `test/${captureId}.jpg`, contentType: 'image/jpeg', bytes: 1, source: 'upload', takenAt, status: 'recognized' },
    });
    const reading = await prisma.reading.create({
      data: { meterId, captureId, value: value.toFixed(3).padStart(9, '0'), numeric: value, digits: [], confidence: 0.99, status: 'accepted', modelVersion: 'test', takenAt },
    });
    return { readingId: reading.id, meterId, captureId };
  }
  async function evaluate(job: { readingId: string; meterId: string; captureId: string }) {
    await queues.add(QueueName.Notify, { v: 1, ...job }, { jobId: jobId.notify(job.readingId) });
    notifyJobs++;
    await waitFor(async () => (await queues.counts(QueueName.Notify)).completed === notifyJobs, { what: 'notify to evaluate the reading', intervalMs: 20 });
  }
  /** A usable previous reading, then one 10 minutes later at `flow` m³/h. */
  async function flowAt(meterId: string, start: Date, flow: number, previous = 1000) {
    await store(meterId, previous, start);
    await evaluate(await store(meterId, previous + flow / 6, new Date(start.getTime() + 10 * MINUTE)));
    return previous + flow / 6;
  }

  it('pushes a night-long leak alarm once to each FCM device, browser and Slack channel, folds its repeats, and drops the unregistered token', async () => {
    const org = await createOrg('leak');
    const alice = await createUser(org.id, 'alice');
    const phone = await prisma.pushDevice.create({ data: { userId: alice.id, token: `fcm-phone-${randomUUID()}` } });
    const oldPhone = await prisma.pushDevice.create({ data: { userId: alice.id, token: `fcm-old-${randomUUID()}` } });
    providers.unregistered.add(oldPhone.token);
    const browser = await addWebPush(alice.id);
    const oldBrowser = await addWebPush(alice.id);
    providers.expired.add(oldBrowser.endpoint.split('/').pop()!);
    const slack = await prisma.slackChannel.create({ data: { orgId: org.id, name: '#ops', webhookUrl: providers.slackUrl('ops-leak'), minSeverity: 'major' } });
    const quiet = await prisma.slackChannel.create({ data: { orgId: org.id, name: '#off', webhookUrl: providers.slackUrl('never'), minSeverity: 'warning', enabled: false } });
    const meter = await prisma.meter.create({ data: { orgId: org.id, name: 'Basement', digits: 8, decimals: 3, timeZone: 'America/New_York' } });
    await prisma.rule.create({ data: { orgId: org.id, meterId: meter.id, type: 'continuous-flow', config: { hours: 3 }, severity: 'critical' } });

    // 22:00 to 07:00 New York time, every 10 minutes, a 0.02 m³/h leak: it raises at 04:00 (index 36)
    // and each reading until 05:00 raises it again.
    const start = Date.parse('2026-01-15T03:00:00Z');
    const night = Array.from({ length: 55 }, (_, i) => ({ takenAt: new Date(start + i * 10 * MINUTE), value: Number((1234.567 + (0.02 * i) / 6).toFixed(3)) }));
    let i = 0;
    for (; i <= 36; i++) await evaluate(await store(meter.id, night[i]!.value, night[i]!.takenAt));
    const alarm = await prisma.alarm.findFirstOrThrow({ where: { meterId: meter.id } });
    expect(alarm).toMatchObject({ type: 'continuous-flow', count: 1 });
    const eventId = `${alarm.id}:raised:1`;
    const rows = await waitFor(
      async () => {
        const found = await prisma.notification.findMany({ where: { alarmId: alarm.id } });
        return found.length === 5 && found.every((n) => n.status !== 'pending') && found;
      },
      { what: 'the five notifications to be delivered' },
    );
    // Readings arrive every 10 minutes in real life: the rest of the night after the pushes went out.
    for (; i < night.length; i++) await evaluate(await store(meter.id, night[i]!.value, night[i]!.takenAt));
    expect(await prisma.alarm.findUniqueOrThrow({ where: { id: alarm.id } })).toMatchObject({ count: 7 });
    const byTarget = new Map(rows.map((n) => [n.target, n]));
    expect(byTarget.get(phone.id)).toMatchObject({ channel: 'fcm', userId: alice.id, status: 'sent', eventId, attempts: 1 });
    expect(byTarget.get(browser.id)).toMatchObject({ channel: 'webpush', userId: alice.id, status: 'sent', eventId });
    expect(byTarget.get(slack.id)).toMatchObject({ channel: 'slack', userId: null, status: 'sent', eventId });
    expect(byTarget.get(oldPhone.id)).toMatchObject({ channel: 'fcm', status: 'failed', lastError: expect.stringMatching(/not registered/) });
    expect(byTarget.get(oldBrowser.id)).toMatchObject({ channel: 'webpush', status: 'failed', lastError: expect.stringMatching(/410/) });
    expect(byTarget.has(quiet.id)).toBe(false);
    // The push service said the old browser's subscription is gone: it is deleted.
    expect(await prisma.webPushSubscription.findMany({ where: { userId: alice.id }, select: { id: true } })).toEqual([{ id: browser.id }]);
    // FCM said the old token is unregistered: its device is gone, the other stays.
    expect(await prisma.pushDevice.findMany({ where: { userId: alice.id }, select: { id: true } })).toEqual([{ id: phone.id }]);

    // The six repeats fold, per live receiver, into one digest held until an hour after the push.
    const later = await prisma.notification.findMany({ where: { alarmId: alarm.id, eventId: { not: eventId } } });
    expect(later.filter((n) => n.status === 'digested')).toHaveLength(18);
    const digests = later.filter((n) => n.status === 'held');
    expect(digests.map((n) => n.target).sort()).toEqual([phone.id, browser.id, slack.id].sort());
    for (const digest of digests) {
      const first = rows.find((n) => n.target === digest.target)!;
      expect(digest.eventId).toBe(`${alarm.id}:digest:${first.createdAt.getTime() + 60 * MINUTE}`);
    }
    expect(later).toHaveLength(21);

    // Give retries or duplicates a moment to show up: there must be none.
    await new Promise((r) => setTimeout(r, 600));
    const fcm = providers.fcm.filter((r) => r.message.data?.alarmId === alarm.id);
    expect(fcm.map((r) => r.message.token).sort()).toEqual([phone.token, oldPhone.token].sort());
    const sent = fcm.find((r) => r.message.token === phone.token)!;
    expect(sent).toMatchObject({ projectId: 'metertwin-test', authorization: 'Bearer fake-fcm-access-token' });
    expect(sent.message.notification).toEqual({ title: 'Critical: Basement', body: alarm.message });
    expect(sent.message.data).toMatchObject({ eventId, kind: 'raised', meterId: meter.id, severity: 'critical' });
    expect(sent.message.android).toMatchObject({ priority: 'high', collapse_key: alarm.id });

    const pushed = providers.webPush.filter((r) => r.payload?.alarmId === alarm.id && r.subscription === browser.endpoint.split('/').pop());
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.vapidValid).toBe(true);
    expect(pushed[0]!.vapidPublicKey).toBe(vapid.publicKey);
    expect(pushed[0]!.headers['content-encoding']).toBe('aes128gcm');
    expect(pushed[0]!.headers.urgency).toBe('high');
    expect(pushed[0]!.payload).toMatchObject({ eventId, title: 'Critical: Basement', body: alarm.message, severity: 'critical' });

    const posted = providers.slack.filter((r) => r.channel === 'ops-leak');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.headers['x-metertwin-event-id']).toBe(eventId);
    expect(posted[0]!.body.text).toBe(`Critical: Basement: ${alarm.message}`);
    expect(JSON.stringify(posted[0]!.body.blocks)).toContain(`event ${eventId}`);
    expect(providers.slack.filter((r) => r.channel === 'never')).toHaveLength(0);
  });

  it('holds a minor alarm during quiet hours until they end, and lets a critical one through', async () => {
    const org = await createOrg('quiet');
    const bob = await createUser(org.id, 'bob');
    const phone = await prisma.pushDevice.create({ data: { userId: bob.id, token: `fcm-bob-${randomUUID()}` } });
    // Quiet from an hour ago to an hour ahead, Berlin time.
    const local = (at: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    const preference = { quietStart: local(Date.now() - 60 * MINUTE), quietEnd: local(Date.now() + 60 * MINUTE), timeZone: 'Europe/Berlin' };
    await prisma.notificationPreference.create({ data: { userId: bob.id, channels: { critical: ['fcm'], minor: ['fcm'] }, digestMinutes: 60, ...preference } });
    const minor = await createMeter(org.id, 'Garden tap', 'minor');
    const critical = await createMeter(org.id, 'Main', 'critical');

    await flowAt(minor.meter.id, new Date(Date.now() - 20 * MINUTE), 3);
    const minorAlarm = await prisma.alarm.findFirstOrThrow({ where: { meterId: minor.meter.id } });
    const held = await prisma.notification.findFirstOrThrow({ where: { alarmId: minorAlarm.id } });
    expect(held).toMatchObject({ status: 'held', channel: 'fcm', target: phone.id });
    // Held until quietEnd, Berlin time (within the next hour and a minute).
    const expected = quietUntil(held.createdAt, preference)!;
    expect(held.notBefore).toEqual(expected);
    expect(local(held.notBefore!.getTime())).toBe(preference.quietEnd);
    expect(held.notBefore!.getTime() - Date.now()).toBeGreaterThan(58 * MINUTE);

    await flowAt(critical.meter.id, new Date(Date.now() - 20 * MINUTE), 3);
    const criticalAlarm = await prisma.alarm.findFirstOrThrow({ where: { meterId: critical.meter.id } });
    await waitFor(() => prisma.notification.findFirst({ where: { alarmId: criticalAlarm.id, status: 'sent' } }), { what: 'the critical alarm to be pushed' });
    await new Promise((r) => setTimeout(r, 500));
    expect(providers.fcm.filter((r) => r.message.token === phone.token).map((r) => r.message.data?.alarmId)).toEqual([criticalAlarm.id]);
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: 'held' });

    // The minor alarm clears during the night; quiet hours end (moved to now): the timer releases the
    // held push, which says the alarm has cleared since.
    await prisma.alarm.update({ where: { id: minorAlarm.id }, data: { status: 'cleared', clearedAt: new Date(), clearedBy: 'system', openKey: null } });
    await prisma.notification.update({ where: { id: held.id }, data: { notBefore: new Date(Date.now() - 1000) } });
    await waitFor(() => prisma.notification.findFirst({ where: { id: held.id, status: 'sent' } }), { what: 'the held notification to be released and sent' });
    const pushes = providers.fcm.filter((r) => r.message.token === phone.token);
    expect(pushes.map((r) => r.message.data?.alarmId)).toEqual([criticalAlarm.id, minorAlarm.id]);
    expect(pushes[1]!.message.notification?.body).toBe(`${minorAlarm.message} [cleared since]`);
  });

  it("writes to a user who chose no language, and to a Slack channel, in the organization's default language, and to one who did in theirs", async () => {
    const org = await prisma.organization.create({ data: { name: 'hanbit', slug: `hanbit-${randomUUID()}`, defaultLocale: 'ko' } });
    const minji = await createUser(org.id, 'minji');
    const ada = await prisma.user.update({ where: { id: (await createUser(org.id, 'ada')).id }, data: { locale: 'en' } });
    const phones = await Promise.all([minji, ada].map((u) => prisma.pushDevice.create({ data: { userId: u.id, token: `fcm-${u.name}-${randomUUID()}` } })));
    await prisma.slackChannel.create({ data: { orgId: org.id, name: '#운영', webhookUrl: providers.slackUrl('hanbit-ops'), minSeverity: 'major' } });
    const { meter } = await createMeter(org.id, 'Boiler', 'critical');

    await flowAt(meter.id, new Date(Date.now() - 20 * MINUTE), 3);
    const alarm = await prisma.alarm.findFirstOrThrow({ where: { meterId: meter.id } });
    // The rule's text is stored in English and as a code the receivers' languages word.
    expect(alarm).toMatchObject({ message: 'flow 3/h is above 1/h', messageCode: 'flow-rate.above', messageParams: { flow: 3, limit: 1 } });
    await waitFor(async () => (await prisma.notification.count({ where: { alarmId: alarm.id, status: 'sent' } })) === 3, { what: 'both phones and the channel to be told' });
    const pushes = phones.map((phone) => providers.fcm.find((r) => r.message.token === phone.token)?.message.notification);
    expect(pushes).toEqual([
      { title: '심각: Boiler', body: '유량 3/h, 한도 1/h 초과' },
      { title: 'Critical: Boiler', body: 'flow 3/h is above 1/h' },
    ]);
    expect(providers.slack.find((r) => r.channel === 'hanbit-ops')?.body.text).toBe('심각: Boiler: 유량 3/h, 한도 1/h 초과');
  });

  it('folds repeats of an alarm within the digest window into one digest', async () => {
    const org = await createOrg('digest');
    const carol = await createUser(org.id, 'carol');
    const phone = await prisma.pushDevice.create({ data: { userId: carol.id, token: `fcm-carol-${randomUUID()}` } });
    await prisma.notificationPreference.create({ data: { userId: carol.id, channels: { major: ['fcm'] }, digestMinutes: 30 } });
    const { meter } = await createMeter(org.id, 'Boiler', 'major');

    const start = Date.now() - 60 * MINUTE;
    let value = await flowAt(meter.id, new Date(start), 3);
    for (let i = 2; i <= 4; i++) {
      value += 0.5;
      await evaluate(await store(meter.id, value, new Date(start + i * 10 * MINUTE)));
    }
    const alarm = await prisma.alarm.findFirstOrThrow({ where: { meterId: meter.id } });
    expect(alarm.count).toBe(4);
    const rows = await prisma.notification.findMany({ where: { alarmId: alarm.id }, orderBy: { eventId: 'asc' } });
    const first = rows.find((n) => n.eventId === `${alarm.id}:raised:1`)!;
    expect(first.status).toMatch(/pending|sent/);
    expect(rows.filter((n) => n.status === 'digested').map((n) => n.eventId).sort()).toEqual([2, 3, 4].map((c) => `${alarm.id}:raised:${c}`));
    const digest = rows.find((n) => n.eventId.startsWith(`${alarm.id}:digest:`))!;
    expect(digest).toMatchObject({ status: 'held', target: phone.id });
    expect(digest.notBefore!.getTime()).toBe(first.createdAt.getTime() + 30 * MINUTE);
    expect(rows).toHaveLength(5);

    await waitFor(() => prisma.notification.findFirst({ where: { id: first.id, status: 'sent' } }), { what: 'the first notification' });
    await prisma.notification.update({ where: { id: digest.id }, data: { notBefore: new Date(Date.now() - 1000) } });
    await waitFor(() => prisma.notification.findFirst({ where: { id: digest.id, status: 'sent' } }), { what: 'the digest to be sent' });
    const pushes = providers.fcm.filter((r) => r.message.token === phone.token);
    expect(pushes.map((r) => r.message.data?.eventId)).toEqual([first.eventId, digest.eventId]);
    expect(pushes[1]!.message.data?.kind).toBe('digest');
    expect(pushes[1]!.message.notification?.body).toBe(`${alarm.message} (repeated 3× since the last notification)`);
  });

  it('retries a provider that is briefly unavailable, with the same event id, and records the attempts', async () => {
    const org = await createOrg('retry');
    const slack = await prisma.slackChannel.create({ data: { orgId: org.id, name: '#retry', webhookUrl: providers.slackUrl('retry'), minSeverity: 'warning' } });
    providers.slackFailures.set('retry', 2);
    const { meter } = await createMeter(org.id, 'Cellar', 'warning');
    await flowAt(meter.id, new Date(Date.now() - 20 * MINUTE), 3);
    const alarm = await prisma.alarm.findFirstOrThrow({ where: { meterId: meter.id } });
    const sent = await waitFor(() => prisma.notification.findFirst({ where: { alarmId: alarm.id, status: 'sent' } }), { what: 'the Slack message after two 503s' });
    expect(sent).toMatchObject({ target: slack.id, attempts: 3, lastError: null });
    const requests = providers.slack.filter((r) => r.channel === 'retry');
    expect(requests.map((r) => r.headers['x-metertwin-event-id'])).toEqual(Array(3).fill(`${alarm.id}:raised:1`));
  });

  it('loses nothing and sends no event twice when notify is killed mid-delivery', async () => {
    const dist = join(ROOT, 'apps/notify/dist/delivery/index.js');
    if (!existsSync(dist)) throw new Error('build notify first: pnpm turbo run build --filter @metertwin/notify...');
    await app!.close();
    app = undefined;

    const org = await createOrg('kill');
    const dave = await createUser(org.id, 'dave');
    const phone = await prisma.pushDevice.create({ data: { userId: dave.id, token: `fcm-dave-${randomUUID()}` } });
    const browser = await addWebPush(dave.id);
    const slack = await prisma.slackChannel.create({ data: { orgId: org.id, name: '#kill', webhookUrl: providers.slackUrl('kill'), minSeverity: 'warning' } });
    const { meter } = await createMeter(org.id, 'Kitchen', 'critical');
    const start = new Date(Date.now() - 20 * MINUTE);
    await store(meter.id, 1000, start);
    const reading = await store(meter.id, 1000.5, new Date(start.getTime() + 10 * MINUTE));

    const seen = () => ({
      fcm: providers.fcm.filter((r) => r.message.token === phone.token).map((r) => r.message.data?.eventId),
      webPush: providers.webPush.filter((r) => r.subscription === browser.endpoint.split('/').pop()).map((r) => r.payload?.eventId),
      slack: providers.slack.filter((r) => r.channel === 'kill').map((r) => r.headers['x-metertwin-event-id']),
    });

    // The providers take the requests and never answer; notify is killed while it waits.
    providers.hang();
    const first = await spawnNotify(env, providers.port);
    try {
      const queue = await bullQueue(env);
      await queue.add(QueueName.Notify, { v: 1, ...reading }, { jobId: jobId.notify(reading.readingId) });
      await queue.close();
      await waitFor(async () => {
        const s = seen();
        return s.fcm.length === 1 && s.webPush.length === 1 && s.slack.length === 1;
      }, { what: 'the three requests to reach the (hanging) providers' });
    } finally {
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
    }
    const alarm = await prisma.alarm.findFirstOrThrow({ where: { meterId: meter.id } });
    expect(await prisma.notification.findMany({ where: { alarmId: alarm.id }, select: { status: true } })).toEqual([{ status: 'pending' }, { status: 'pending' }, { status: 'pending' }]);

    providers.answer();
    const second = await spawnNotify(env, providers.port);
    try {
      await waitFor(async () => (await prisma.notification.count({ where: { alarmId: alarm.id, status: 'sent' } })) === 3, {
        what: 'the restarted notify to deliver the three notifications',
      });
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
    const eventId = `${alarm.id}:raised:1`;
    const s = seen();
    // Each receiver got the event again after the restart (its first answer never came), both times
    // under the same id: deduplicated by event id, it arrived exactly once.
    for (const ids of [s.fcm, s.webPush, s.slack]) expect(ids).toEqual([eventId, eventId]);
    expect(await prisma.notification.findMany({ where: { alarmId: alarm.id }, select: { target: true } })).toEqual(
      expect.arrayContaining([{ target: phone.id }, { target: browser.id }, { target: slack.id }]),
    );
  });
});

/** notify in its own process (the built service), with FCM and web push pointed at the fakes. */
async function spawnNotify(env: Record<string, string>, providersPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'apps/notify/test/fakes/notify-process.mjs')], {
    env: { ...process.env, ...env, FAKE_PROVIDERS_PORT: String(providersPort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('notify-process ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`notify exited with ${code} before it was ready:\n${out}`)));
  });
  return child;
}

interface BullQueue {
  add(name: string, data: unknown, options: { jobId: string }): Promise<unknown>;
  close(): Promise<void>;
}

/** A BullMQ producer for the notify queue (bullmq is notify's dependency, not the root's). */
async function bullQueue(env: Record<string, string>): Promise<BullQueue> {
  const require = createRequire(join(ROOT, 'apps/notify/package.json'));
  const { Queue } = (await import(pathToFileURL(require.resolve('bullmq')).href)) as { Queue: new (name: string, options: object) => BullQueue };
  const url = new URL(env.REDIS_URL!);
  return new Queue(QueueName.Notify, { connection: { host: url.hostname, port: Number(url.port || 6379) }, prefix: env.QUEUE_PREFIX });
}
