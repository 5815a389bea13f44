import { execFile } from 'node:child_process';
import { createECDH } from 'node:crypto';
import { readFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { alarmMessageIn } from '@metertwin/rules';
import { startSmtpSink, waitFor, type SmtpSink } from '@metertwin/testing';
import { startFakeProviders, type FakeProviders } from '../../notify/test/fakes/providers';
import { startPlatform, type Platform } from '../../../test/e2e/platform';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import { artifacts, assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';

/**
 * The "done when", in one go and in Korean, as a newcomer would do it from the portal alone:
 * an admin (whose browser speaks English) makes Korean the organization's language, invites a
 * colleague, who accepts on a phone-sized browser, onboards a meter from a (simulated) camera, fixes
 * its settings after the camera was moved (a new address, a new pose: a new reference photo), the
 * admin connects Slack and a webhook, and an alarm reaches the colleague's phone by web push.
 *
 * Real: the four services and the built portal against Postgres and Redis, Debian's chromium, SMTP
 * to a local sink. Faked in their wire format: the cameras (camera-sim), Slack's incoming webhook
 * (HTTPS with a certificate this test trusts), a webhook receiver, and the browser's push service
 * (notify's fake decrypts the push as a browser's push service would; the test hands that payload to
 * the portal's service worker through Chromium's DevTools protocol, as the push service would).
 */

const PORTAL_URL = 'https://portal.example.test';
const PASSWORD = '안전한 비밀번호 2026';

interface Received {
  path: string;
  body: unknown;
}

/** A server that records every POST's JSON body and answers 200. */
function recorder(received: Received[]) {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  };
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/** A VAPID key pair, as `npx web-push generate-vapid-keys` prints it. */
function vapidKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: ecdh.getPrivateKey().toString('base64url') };
}

describe('a newcomer, in Korean, from the portal alone', () => {
  let platform: Platform;
  let portal: RunningPortal;
  let browser: Browser;
  let sink: SmtpSink;
  let providers: FakeProviders;
  let camera: CameraSimulator;
  let movedCamera: CameraSimulator;
  let certDir: string;
  let slackServer: Server;
  let webhookServer: Server;
  let slackUrl: string;
  let webhookUrl: string;
  let orgId: string;
  let admin: TestUser;
  const slack: Received[] = [];
  const webhook: Received[] = [];

  beforeAll(async () => {
    assertBrowserTestReady();
    await mkdir(artifacts, { recursive: true });
    // Slack's incoming webhooks are https only: a certificate for 127.0.0.1 that this process (where
    // notify runs) trusts.
    certDir = await mkdtemp(path.join(tmpdir(), 'mt-newcomer-tls-'));
    const [key, cert] = [path.join(certDir, 'key.pem'), path.join(certDir, 'cert.pem')];
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ]);
    const certificate = await readFile(cert, 'utf8');
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), certificate]);
    slackServer = createHttpsServer({ key: await readFile(key), cert: certificate }, recorder(slack));
    slackUrl = `https://127.0.0.1:${await listen(slackServer)}/services/T0001/B0001/newcomer`;
    webhookServer = createHttpServer(recorder(webhook));
    webhookUrl = `http://127.0.0.1:${await listen(webhookServer)}/metertwin`;

    providers = await startFakeProviders();
    sink = await startSmtpSink();
    // 10 litres a second: far above the alarm's 1 m³/h. The camera after it was moved: another
    // address and another pose of the same counter.
    camera = await startCameraSimulator({ start: 512.25, rate: 600, seed: 11 });
    movedCamera = await startCameraSimulator({ start: 512.25, rate: 600, seed: 7 });
    const hosts = [camera.url, movedCamera.url, slackUrl, webhookUrl].map((u) => new URL(u).host);
    const vapid = vapidKeys();
    const deployment = { OUTBOUND_ALLOWED_HOSTS: [...hosts, `127.0.0.1:${providers.port}`].join(',') };
    platform = await startPlatform(
      {
        ...deployment,
        WEB_PUSH_PUBLIC_KEY: vapid.publicKey,
        WEB_PUSH_PRIVATE_KEY: vapid.privateKey,
        WEB_PUSH_SUBJECT: 'mailto:ops@metertwin.test',
      },
      { notify: { delivery: { webPushAgent: () => providers.webPushAgent() } } },
    );
    orgId = (await platform.prisma.organization.create({ data: { name: '한빛 아파트', slug: `hanbit-${Date.now()}` } })).id;
    admin = await createUser(platform.prisma, { orgId, role: 'admin', name: '이관리' });
    portal = await startPortal(
      {
        DATABASE_URL: platform.env.DATABASE_URL,
        STORAGE_DIR: platform.env.STORAGE_DIR,
        REDIS_URL: platform.env.REDIS_URL,
        // the services' queues: a reviewed reading's notify job goes to this platform's notify
        QUEUE_PREFIX: platform.env.QUEUE_PREFIX!,
        SMTP_URL: sink.url,
        MAIL_FROM: 'MeterTwin <noreply@metertwin.example.test>',
        PORTAL_URL,
        WEB_PUSH_PUBLIC_KEY: vapid.publicKey,
        ...deployment,
      },
      { timeoutMs: 60_000 },
    );
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await platform?.stop();
    await Promise.all([camera?.close(), movedCamera?.close(), sink?.close(), providers?.close()]);
    for (const server of [slackServer, webhookServer]) await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (certDir) await rm(certDir, { recursive: true, force: true });
  });

  it('invites a colleague, who onboards a meter, fixes it after the camera moved, and gets its alarm on the phone', async () => {
    const { prisma } = platform;
    const shot = (page: import('playwright-core').Page, name: string) =>
      page.screenshot({ path: path.join(artifacts, `newcomer-${name}.png`), fullPage: true });

    // 1. The admin's browser speaks English; the organization's language makes the portal Korean.
    const adminContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await addSessionCookie(adminContext, portal.base, prisma, admin.id);
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`${portal.base}/settings`);
    await adminPage.getByLabel('Default language').selectOption('ko');
    await adminPage.getByRole('button', { name: 'Save language' }).click();
    await adminPage.getByRole('heading', { name: '설정', level: 1 }).waitFor();
    expect(await adminPage.locator('html').getAttribute('lang')).toBe('ko');
    await shot(adminPage, 'org-language');

    // 2. Invite: the e-mail's language is the organization's.
    await adminPage.getByRole('link', { name: '사용자', exact: true }).click();
    await adminPage.waitForURL('**/settings/users');
    await adminPage.getByLabel('이메일', { exact: true }).fill('minji@example.test');
    await adminPage.getByLabel('역할', { exact: true }).selectOption({ label: '운영자' });
    expect(await adminPage.getByLabel('이메일 언어').inputValue()).toBe('ko');
    await adminPage.getByRole('button', { name: '초대 보내기' }).click();
    await adminPage.getByRole('status').filter({ hasText: 'minji@example.test(으)로 초대를 보냈습니다' }).waitFor();
    const mail = await sink.waitForMail('minji@example.test');
    expect(mail.subject).toBe('한빛 아파트의 MeterTwin에 초대되었습니다');
    const link = new URL(/https:\/\/\S+/.exec(mail.text)![0]);

    // 3. The colleague's phone: an English browser, and the invitation's page is Korean all the same.
    const phone = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.grantPermissions(['notifications'], { origin: portal.base });
    const subscription = providers.subscribe('minji-phone');
    // Chromium here has no push service to subscribe with (no internet): its PushManager hands out
    // the fake push service's subscription, with the keys that service decrypts with.
    await phone.addInitScript((sub) => {
      const bytes = (b64: string) => Uint8Array.from(atob(b64.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
      let current: object | null = null;
      PushManager.prototype.subscribe = async () => {
        current = {
          endpoint: sub.endpoint,
          expirationTime: null,
          getKey: (name: string) => bytes(name === 'p256dh' ? sub.p256dh : sub.auth),
          toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: { p256dh: sub.p256dh, auth: sub.auth } }),
          unsubscribe: async () => {
            current = null;
            return true;
          },
        };
        return current as PushSubscription;
      };
      PushManager.prototype.getSubscription = async () => current as PushSubscription | null;
    }, subscription);
    const page = await phone.newPage();
    await page.goto(`${portal.base}${link.pathname}`);
    await page.getByRole('heading', { name: '한빛 아파트에 참여하기' }).waitFor();
    await page.getByLabel('이름').fill('김민지');
    await page.getByLabel('비밀번호').fill(PASSWORD);
    await shot(page, 'accept');
    await page.getByRole('button', { name: '계정 만들기' }).click();
    await page.waitForURL('**/signin?notice=invited');
    await page.getByLabel('이메일').fill('minji@example.test');
    await page.getByLabel('비밀번호').fill(PASSWORD);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');

    // 4. Onboard the meter from the camera.
    await page.goto(`${portal.base}/onboard`);
    await page.getByLabel('스냅샷 URL', { exact: true }).fill(`${camera.url}/capture`);
    await page.getByLabel('가져오기 간격(초)', { exact: true }).fill('5');
    await page.getByRole('button', { name: '스냅샷 찍기' }).click();
    await page.locator('[data-box="digit-7"]').waitFor({ timeout: 30_000 });
    await page.getByLabel('이름', { exact: true }).fill('보일러실 급수');
    await page.getByLabel('위치', { exact: true }).fill('지하 1층');
    await page.getByLabel('시간대', { exact: true }).fill('Asia/Seoul');
    await page.getByTestId('first-reading').getByRole('img', { name: /^\d{5}\.\d{3} m³$/ }).waitFor({ timeout: 30_000 });
    await shot(page, 'onboard');
    await page.getByRole('button', { name: '계량기 저장' }).click();
    await page.getByRole('heading', { name: '보일러실 급수을(를) 저장했습니다' }).waitFor({ timeout: 30_000 });
    const meter = await prisma.meter.findFirstOrThrow({ where: { orgId, name: '보일러실 급수' }, include: { devices: true } });
    expect(meter).toMatchObject({ location: '지하 1층', timeZone: 'Asia/Seoul', digits: 8 });
    // A meter onboarded in the portal starts learning: its readings wait for review (step 7).
    expect(meter.trust).toBe('learning');

    // 5. The camera was moved (another address, another pose): point the meter at it, with a
    //    Korean refusal first for an address the platform may not reach, then a new reference photo.
    await page.goto(`${portal.base}/meters/${meter.id}/settings`);
    const cameraForm = page.getByRole('form', { name: /^카메라 / });
    await cameraForm.getByLabel('스냅샷 URL').fill('http://10.9.8.7/capture');
    await cameraForm.getByRole('button', { name: '카메라 저장' }).click();
    await cameraForm.getByRole('alert').filter({ hasText: '스냅샷 URL: 10.9.8.7은(는) 조직의 장치 네트워크 밖에 있는 사설 주소입니다' }).waitFor();
    await cameraForm.getByLabel('스냅샷 URL').fill(`${movedCamera.url}/capture`);
    await cameraForm.getByRole('button', { name: '카메라 저장' }).click();
    await expect.poll(async () => (await prisma.device.findUniqueOrThrow({ where: { id: meter.devices[0]!.id } })).snapshotUrl).toBe(`${movedCamera.url}/capture`);
    await page.getByRole('button', { name: '새 스냅샷 찍기' }).click();
    const reference = page.getByRole('region', { name: '기준 사진과 레이아웃' });
    await reference.getByRole('button', { name: '새 기준으로 저장' }).waitFor({ timeout: 30_000 });
    await reference.getByRole('button', { name: '새 기준으로 저장' }).click();
    await reference.getByRole('status').filter({ hasText: /^저장했습니다/ }).waitFor({ timeout: 30_000 });
    await shot(page, 'rereference');

    // 6. The admin connects Slack and a webhook.
    await adminPage.goto(`${portal.base}/settings`);
    await adminPage.getByLabel('채널', { exact: true }).fill('#설비');
    await adminPage.getByLabel('수신 웹훅 URL').fill(slackUrl);
    await adminPage.getByRole('button', { name: '채널 추가' }).click();
    await adminPage.getByText('#설비 채널을 추가했습니다.').waitFor();
    const webhooks = adminPage.getByRole('region', { name: '웹훅' });
    await webhooks.getByLabel('URL', { exact: true }).fill(webhookUrl);
    await webhooks.getByLabel('경보 발생').check();
    await webhooks.getByRole('button', { name: '웹훅 추가' }).click();
    await adminPage.getByTestId('webhook-secret').waitFor();
    await shot(adminPage, 'slack-webhook');

    // 7. The colleague turns on alarms on the phone; a rule on the meter raises one.
    await page.goto(`${portal.base}/notifications`);
    await page.getByRole('button', { name: '켜기' }).click();
    await page.getByText('경보 알림이 켜져 있습니다.').waitFor();
    await shot(page, 'notifications');
    const rule = await page.request.post(`${portal.base}/api/rules`, {
      data: { type: 'flow-rate', meterId: meter.id, config: { above: 1 }, severity: 'critical' },
    });
    expect(rule.status()).toBe(201);
    // The meter is still learning, so its readings wait in the review queue: the colleague confirms
    // them oldest first (an unreadable one has nothing to confirm and is left), each 5 s after the one
    // before at 10 litres a second, until the flow of a confirmed one raises the alarm.
    await page.goto(`${portal.base}/review`);
    const confirm = page.getByRole('button', { name: '확인', exact: true, disabled: false }).first();
    // The queue is the page's as loaded: it is loaded again until a readable reading waits in it.
    const waitingReading = () =>
      waitFor(
        async () => {
          if ((await confirm.count()) > 0) return true;
          await page.goto(`${portal.base}/review`);
          return false;
        },
        { what: 'a readable reading waiting for review', timeoutMs: 90_000, intervalMs: 2_000 },
      );
    const reviewed = () => prisma.reading.count({ where: { meterId: meter.id, reviewedAt: { not: null } } });
    const alarmRaised = () =>
      waitFor(async () => (await prisma.alarm.count({ where: { meterId: meter.id } })) > 0, { what: 'an alarm', timeoutMs: 5_000 }).catch(() => false);
    for (let confirmed = 1; ; confirmed++) {
      await waitingReading();
      await confirm.click();
      await expect.poll(reviewed, { timeout: 15_000 }).toBe(confirmed);
      if (confirmed >= 2 && (await alarmRaised())) break;
      expect(confirmed, 'readings confirmed without an alarm').toBeLessThan(5);
    }
    await shot(page, 'review');

    const pushed = await waitFor(async () => providers.webPush.find((p) => p.subscription === subscription.id && p.payload), {
      what: 'the alarm to be pushed to the phone',
      timeoutMs: 120_000,
    });
    expect(pushed.vapidValid).toBe(true);
    expect(pushed.payload).toMatchObject({ severity: 'critical', title: '심각: 보일러실 급수' });
    const alarm = await prisma.alarm.findFirstOrThrow({ where: { meterId: meter.id } });
    await waitFor(async () => slack.length > 0 && webhook.length > 0, { what: 'Slack and the webhook to get the alarm', timeoutMs: 60_000 });
    expect(JSON.stringify(slack[0]!.body)).toContain('보일러실 급수');
    expect(webhook[0]!.body).toMatchObject({ type: 'alarm.raised', data: { alarmId: alarm.id } });

    // The push service hands the payload to the phone's service worker, which shows the alarm. It is
    // delivered to the activated worker, and again every few seconds until shown (a push service
    // retries too): a delivery racing the worker's start is otherwise dropped by the browser.
    const cdp = await phone.newCDPSession(page);
    let activeRegistration: string | undefined;
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      const active = versions.find((v) => v.scriptURL.startsWith(portal.base) && v.status === 'activated');
      if (active) activeRegistration = active.registrationId;
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await waitFor(async () => activeRegistration, { what: 'the activated service worker' });
    let deliveredAt = 0;
    const shown = await waitFor(
      async () => {
        const notifications = await page.evaluate(async () => {
          const list = await (await navigator.serviceWorker.ready).getNotifications();
          return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
        });
        if (notifications.length) return notifications;
        if (Date.now() - deliveredAt > 4_000) {
          deliveredAt = Date.now();
          await cdp.send('ServiceWorker.deliverPushMessage', { origin: portal.base, registrationId, data: JSON.stringify(pushed.payload) });
        }
        return null;
      },
      { what: 'the service worker to show the alarm', timeoutMs: 30_000 },
    );
    // The colleague reads Korean: the alarm is worded from its code, in Korean, on the phone and the page.
    const message = alarmMessageIn('ko', alarm);
    expect(message).toMatch(/[가-힣]/);
    expect(shown).toEqual([{ title: '심각: 보일러실 급수', body: message, tag: alarm.id }]);
    await page.goto(`${portal.base}/alarms`);
    await page.getByText(message).first().waitFor();
    await shot(page, 'alarm');
  }, 600_000);
});
