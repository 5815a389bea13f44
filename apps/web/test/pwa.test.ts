import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import manifest from '../src/app/manifest';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public');
// A VAPID public key's shape (65 bytes, base64url).
const VAPID_PUBLIC =
  'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';

let db: TestDatabase;
let prisma: PrismaClient;
let webPush: typeof import('../src/app/api/me/web-push/route');
let devices: typeof import('../src/app/api/me/push-devices/route');
let prefs: typeof import('../src/app/api/me/preferences/route');
let userId: string;
let cookie: string;
let otherCookie: string;
let foreignCookie: string;

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    STORAGE_DIR: '/tmp',
    WEB_PUSH_PUBLIC_KEY: VAPID_PUBLIC,
  });
  webPush = await import('../src/app/api/me/web-push/route');
  devices = await import('../src/app/api/me/push-devices/route');
  prefs = await import('../src/app/api/me/preferences/route');
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  userId = (await createUser(prisma, { orgId, role: 'viewer' })).id;
  cookie = await sessionCookie(prisma, userId);
  otherCookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
  const otherOrgId = await createOrg(prisma);
  foreignCookie = await sessionCookie(
    prisma,
    (await createUser(prisma, { orgId: otherOrgId, role: 'admin' })).id,
  );
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

const req = (url: string, method: string, json?: unknown, as: string | null = cookie) =>
  apiRequest(url, { cookie: as, method, json });

describe('PWA files', () => {
  it('manifest: standalone, start URL, 192 and 512 icons (one maskable) that exist at their size', async () => {
    const m = manifest();
    expect(m).toMatchObject({
      name: 'MeterTwin',
      start_url: '/',
      display: 'standalone',
      theme_color: '#0f2a3d',
    });
    expect(m.icons?.map((i) => [i.sizes, i.purpose])).toEqual([
      ['192x192', 'any'],
      ['512x512', 'any'],
      ['512x512', 'maskable'],
    ]);
    for (const icon of m.icons ?? []) {
      const meta = await sharp(path.join(publicDir, icon.src)).metadata();
      expect(`${meta.width}x${meta.height}`).toBe(icon.sizes);
      expect(meta.format).toBe('png');
    }
  });

  it('service worker: offline shell, push notification and click handlers', async () => {
    const sw = await readFile(path.join(publicDir, 'sw.js'), 'utf8');
    for (const event of ['install', 'fetch', 'push', 'notificationclick']) {
      expect(sw).toContain(`addEventListener('${event}'`);
    }
    expect(sw).toContain("'/offline.html'");
    expect(await readFile(path.join(publicDir, 'offline.html'), 'utf8')).toContain('You are offline');
  });
});

describe('/api/me/web-push', () => {
  const subscription = {
    endpoint: 'https://push.example.test/send/abc123',
    keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) },
  };

  it('gives the VAPID key, stores, moves and deletes a subscription', async () => {
    const info = await webPush.GET(req('/api/me/web-push', 'GET'));
    expect(await info.json()).toEqual({ publicKey: VAPID_PUBLIC, subscriptions: 0 });

    expect((await webPush.POST(req('/api/me/web-push', 'POST', subscription))).status).toBe(201);
    expect((await webPush.POST(req('/api/me/web-push', 'POST', subscription))).status).toBe(201);
    const rows = await prisma.webPushSubscription.findMany({ where: { endpoint: subscription.endpoint } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth });

    // Another organization cannot take the browser's subscription over (its alarms would go there).
    const stolen = await webPush.POST(
      req(
        '/api/me/web-push',
        'POST',
        { ...subscription, keys: { ...subscription.keys, auth: 'AAAAAAAAAAAAAAAAAAAAAA' } },
        foreignCookie,
      ),
    );
    expect(stolen.status).toBe(409);
    expect(
      await prisma.webPushSubscription.findUniqueOrThrow({ where: { endpoint: subscription.endpoint } }),
    ).toMatchObject({
      userId,
      auth: subscription.keys.auth,
    });

    // Someone else cannot delete it; the owner can.
    const foreign = await webPush.DELETE(
      req('/api/me/web-push', 'DELETE', { endpoint: subscription.endpoint }, otherCookie),
    );
    expect(foreign.status).toBe(404);
    expect(
      (await webPush.DELETE(req('/api/me/web-push', 'DELETE', { endpoint: subscription.endpoint }))).status,
    ).toBe(204);
    expect(await prisma.webPushSubscription.count()).toBe(0);
  });

  it('refuses bad subscriptions, anonymous and cross-site requests', async () => {
    const http = await webPush.POST(
      req('/api/me/web-push', 'POST', { ...subscription, endpoint: 'http://push.example.test/x' }),
    );
    expect(http.status).toBe(400);
    expect((await http.json()).error).toBe('endpoint: must be an https push service URL');
    expect(
      (await webPush.POST(req('/api/me/web-push', 'POST', { endpoint: subscription.endpoint }))).status,
    ).toBe(400);
    expect((await webPush.POST(req('/api/me/web-push', 'POST', subscription, null))).status).toBe(401);
    const cross = apiRequest('/api/me/web-push', {
      cookie,
      method: 'POST',
      json: subscription,
      headers: { origin: 'https://evil.example' },
    });
    expect((await webPush.POST(cross)).status).toBe(403);
    expect(await prisma.webPushSubscription.count()).toBe(0);
  });
});

describe('/api/me/push-devices', () => {
  it('registers an FCM token once, lists it without the full token, removes it', async () => {
    const token = `fcm-token-${'x'.repeat(40)}-end12345`;
    expect((await devices.POST(req('/api/me/push-devices', 'POST', { token }))).status).toBe(201);
    expect((await devices.POST(req('/api/me/push-devices', 'POST', { token, platform: 'ios' }))).status).toBe(
      201,
    );
    const list = (await (await devices.GET(req('/api/me/push-devices', 'GET'))).json()) as {
      devices: { platform: string; tokenEnd: string; token?: string }[];
    };
    expect(list.devices).toHaveLength(1);
    expect(list.devices[0]).toMatchObject({ platform: 'ios', tokenEnd: 'end12345' });
    expect(list.devices[0]!.token).toBeUndefined();
    expect((await devices.POST(req('/api/me/push-devices', 'POST', { token: 'short' }))).status).toBe(400);
    // A colleague's phone may move to them; another organization may not take it.
    expect((await devices.POST(req('/api/me/push-devices', 'POST', { token }, foreignCookie))).status).toBe(
      409,
    );
    expect((await prisma.pushDevice.findUniqueOrThrow({ where: { token } })).userId).toBe(userId);
    expect((await devices.POST(req('/api/me/push-devices', 'POST', { token }, otherCookie))).status).toBe(
      201,
    );
    expect((await prisma.pushDevice.findUniqueOrThrow({ where: { token } })).userId).not.toBe(userId);
    expect((await devices.POST(req('/api/me/push-devices', 'POST', { token }))).status).toBe(201);
    expect((await devices.DELETE(req('/api/me/push-devices', 'DELETE', { token }))).status).toBe(204);
    expect(await prisma.pushDevice.count()).toBe(0);
  });
});

describe('/api/me/preferences', () => {
  it('defaults, then saves a validated preference notify can read', async () => {
    const initial = await (await prefs.GET(req('/api/me/preferences', 'GET'))).json();
    expect(initial).toMatchObject({ saved: false, preferences: { timeZone: 'UTC', digestMinutes: 60 } });

    const wanted = {
      channels: { critical: ['fcm', 'webpush'], major: ['webpush'], minor: [], warning: [] },
      quietStart: '22:00',
      quietEnd: '06:30',
      timeZone: 'Europe/Berlin',
      digestMinutes: 30,
    };
    const put = await prefs.PUT(req('/api/me/preferences', 'PUT', wanted));
    expect(put.status).toBe(200);
    const row = await prisma.notificationPreference.findUniqueOrThrow({ where: { userId } });
    expect(row).toMatchObject({ ...wanted, userId });
    expect(await (await prefs.GET(req('/api/me/preferences', 'GET'))).json()).toEqual({
      preferences: wanted,
      saved: true,
    });
  });

  it('refuses an invalid preference with the field at fault, and keeps the saved one', async () => {
    const base = (await (await prefs.GET(req('/api/me/preferences', 'GET'))).json()).preferences;
    const cases: [object, string][] = [
      [{ ...base, quietStart: '25:00' }, 'quietStart: must be HH:MM (00:00–23:59)'],
      [{ ...base, quietEnd: null }, 'quietEnd: quiet hours need both quietStart and quietEnd (or neither)'],
      [{ ...base, timeZone: 'Mars/Olympus' }, 'timeZone: must be an IANA time zone such as Europe/Berlin'],
      [{ ...base, channels: { ...base.channels, minor: ['sms'] } }, 'channels.minor.0:'],
    ];
    for (const [body, message] of cases) {
      const res = await prefs.PUT(req('/api/me/preferences', 'PUT', body));
      expect(res.status).toBe(400);
      expect((await res.json()).error).toContain(message);
    }
    expect((await prisma.notificationPreference.findUniqueOrThrow({ where: { userId } })).timeZone).toBe(
      'Europe/Berlin',
    );
  });
});
