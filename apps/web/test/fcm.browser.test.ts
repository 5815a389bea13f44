import { createECDH } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import { artifacts, assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';

/**
 * A browser registers with Firebase Cloud Messaging through the official Firebase JS SDK, in Debian's
 * chromium against the built portal with Firebase configured. Google's two registration APIs
 * (Firebase Installations and FCM registrations) are answered in their wire format by a fake routed in
 * the browser. Chromium here has no push service to subscribe with (no internet), so the browser's
 * PushManager hands out a fixed subscription; everything above it (the SDK, the portal's page, its
 * API and the database) is the real thing.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const FIREBASE = { apiKey: 'AIzaFakeKeyForTests', projectId: 'metertwin-test', appId: '1:1234:web:abcd', messagingSenderId: '1234' };
const FID = 'cYwbb1vNQ1a4bmBsUVprKd';
const FCM_TOKEN = 'fcm-web-token-0123456789abcdefghijklmnopqrstuvwxyz';
const ENDPOINT = 'https://fcm.googleapis.com/fcm/send/test-subscription';

/** The fake's view of what the SDK sent. */
interface FirebaseCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

describe('FCM registration from the portal', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let portal: RunningPortal;
  let browser: Browser;
  let user: TestUser;
  let vapidKey: string;
  const calls: FirebaseCall[] = [];

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    await mkdir(artifacts, { recursive: true });
    user = await createUser(prisma, { orgId: await createOrg(prisma), role: 'operator' });
    // a P-256 public key, as the Firebase console's web push certificate gives
    vapidKey = createECDH('prime256v1').generateKeys().toString('base64url');
    portal = await startPortal({
      DATABASE_URL: db.url,
      REDIS_URL,
      FIREBASE_WEB_CONFIG: JSON.stringify(FIREBASE),
      FCM_VAPID_KEY: vapidKey,
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await prisma?.$disconnect();
    await db?.drop();
  });

  /** Firebase Installations (create) and FCM registrations (create, delete), as Google answers them. */
  async function fakeFirebase(route: Route): Promise<void> {
    const request = route.request();
    const url = new URL(request.url());
    calls.push({ method: request.method(), url: url.href, headers: request.headers(), body: request.postDataJSON() as unknown });
    const json = (status: number, body: unknown) =>
      route.fulfill({ status, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(body) });
    if (request.method() === 'OPTIONS') {
      return route.fulfill({
        status: 200,
        headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, POST, DELETE' },
      });
    }
    if (url.host === 'firebaseinstallations.googleapis.com' && url.pathname === `/v1/projects/${FIREBASE.projectId}/installations`) {
      return json(200, {
        name: `projects/${FIREBASE.messagingSenderId}/installations/${FID}`,
        fid: FID,
        refreshToken: '2_refresh-token',
        authToken: { token: 'installation-auth-token', expiresIn: '604800s' },
      });
    }
    if (url.host === 'fcmregistrations.googleapis.com' && url.pathname === `/v1/projects/${FIREBASE.projectId}/registrations` && request.method() === 'POST') {
      return json(200, { token: FCM_TOKEN });
    }
    if (url.host === 'fcmregistrations.googleapis.com' && url.pathname === `/v1/projects/${FIREBASE.projectId}/registrations/${FCM_TOKEN}` && request.method() === 'DELETE') {
      return json(200, {});
    }
    return json(404, { error: { code: 404, message: `fake firebase: no ${request.method()} ${url.pathname}`, status: 'NOT_FOUND' } });
  }

  it('registers the browser with FCM, sends its token to the portal, and unregisters it', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    await context.grantPermissions(['notifications'], { origin: portal.base });
    await context.route(/^https:\/\/(firebaseinstallations|fcmregistrations)\.googleapis\.com\//, fakeFirebase);
    // The browser's push service: a subscription for the key the SDK asks with.
    await context.addInitScript(({ endpoint }) => {
      const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill).buffer;
      let current: object | null = null;
      const subscription = (applicationServerKey: ArrayBuffer) => ({
        endpoint,
        expirationTime: null,
        options: { applicationServerKey, userVisibleOnly: true },
        getKey: (name: string) => (name === 'p256dh' ? bytes(65, 4) : bytes(16, 7)),
        toJSON: () => ({ endpoint }),
        unsubscribe: async () => {
          current = null;
          return true;
        },
      });
      PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
        const key = options?.applicationServerKey as Uint8Array;
        current = subscription(key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) as ArrayBuffer);
        return current as PushSubscription;
      };
      PushManager.prototype.getSubscription = async () => current as PushSubscription | null;
    }, { endpoint: ENDPOINT });
    await addSessionCookie(context, portal.base, prisma, user.id);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });

    await page.goto(`${portal.base}/notifications`);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('Alarm notifications are on.').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'fcm-on.png') });

    // The token FCM gave is the user's push device, as a web platform.
    const devices = await prisma.pushDevice.findMany({ where: { userId: user.id } });
    expect(devices.map((d) => ({ token: d.token, platform: d.platform }))).toEqual([{ token: FCM_TOKEN, platform: 'web' }]);
    // The SDK registered the portal's push subscription under the configured key, authenticated.
    const registration = calls.find((c) => c.method === 'POST' && c.url.endsWith('/registrations'));
    expect(registration?.headers['x-goog-api-key']).toBe(FIREBASE.apiKey);
    expect(registration?.headers['x-goog-firebase-installations-auth']).toBe('FIS installation-auth-token');
    expect(registration?.body).toMatchObject({ web: { endpoint: ENDPOINT, applicationPubKey: vapidKey } });

    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByText('Alarm notifications are off.').waitFor();
    expect(await prisma.pushDevice.count({ where: { userId: user.id } })).toBe(0);
    expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith(`/registrations/${FCM_TOKEN}`))).toBe(true);
    // no Content-Security-Policy refusal or SDK error on the way
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
