import { createECDH } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveChannel, QueueName, type CounterLayout } from '@metertwin/contracts';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, uniqueQueuePrefix, waitFor, type TestDatabase } from '@metertwin/testing';
import { composeMeter } from '@metertwin/composer';
import { createOrg } from './fixtures';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import {
  artifacts,
  assertBrowserTestReady,
  launchChromium,
  startPortal,
  type RunningPortal,
} from './support/portal';

/**
 * The portal's people-facing flows in Debian's chromium against `next start`, real Postgres and Redis:
 * an operator works the review queue with the keyboard and acknowledges and clears an alarm; a viewer
 * sees neither buttons nor fields and is refused by the API; another organization's meter and photo
 * are 404; the PWA manifest and service worker are served and the worker registers.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('portal roles, review queue, alarms and PWA in a browser', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let portal: RunningPortal;
  let browser: Browser;
  let queue: Queue;
  let operator: TestUser;
  let viewer: TestUser;
  let meterId: string;
  let alarmId: string;
  let theirMeterId: string;
  let theirCaptureId: string;
  const readings: string[] = [];

  async function storedCapture(meter: string, jpeg: Buffer, layout: CounterLayout, n: number, takenAt: Date) {
    const key = `captures/${meter}/${n}.jpg`;
    await new DiskStorage(storageDir).put(key, jpeg);
    return prisma.capture.create({
      data: {
        meterId: meter,
        sha256: `${n}`.padStart(64, 'c'),
        storageKey: key,
        contentType: 'image/jpeg',
        bytes: jpeg.byteLength,
        width: layout.reference.width,
        height: layout.reference.height,
        source: 'upload',
        takenAt,
        status: 'recognized',
        crops: { digits: layout.digits, window: layout.window },
      },
    });
  }

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-roles-'));
    await mkdir(artifacts, { recursive: true });
    const prefix = uniqueQueuePrefix();
    queue = new Queue(QueueName.AlarmEvent, { connection: { url: REDIS_URL }, prefix });

    const orgId = await createOrg(prisma);
    operator = await createUser(prisma, { orgId, role: 'operator', name: 'Olga Operator' });
    viewer = await createUser(prisma, { orgId, role: 'viewer', name: 'Vera Viewer' });
    const photo = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 5, effects: 0.1 });
    meterId = (
      await prisma.meter.create({
        data: {
          orgId,
          name: 'Basement main',
          location: 'Building A',
          digits: 8,
          decimals: 3,
          layout: photo.layout,
        },
      })
    ).id;
    // Two readings waiting for review: one read right but unsure, one read wrong.
    for (const [i, value] of ['01234.567', '01234.587'].entries()) {
      const takenAt = new Date(Date.now() - (3 - i) * 3600_000);
      const capture = await storedCapture(meterId, photo.jpeg, photo.layout, i + 1, takenAt);
      const digits = photo.layout.digits.map((box, d) => ({
        value: Number(value.replace('.', '')[d]),
        digit: Number(value.replace('.', '')[d]),
        confidence: d === 6 ? 0.45 : 0.95,
        box,
      }));
      const reading = await prisma.reading.create({
        data: {
          meterId,
          captureId: capture.id,
          value,
          numeric: value,
          digits,
          confidence: 0.45,
          status: 'needs_review',
          reason: 'low confidence',
          modelVersion: 'test',
          takenAt,
        },
      });
      readings.push(reading.id);
    }
    const alarmCapture = await storedCapture(meterId, photo.jpeg, photo.layout, 3, new Date());
    alarmId = (
      await prisma.alarm.create({
        data: {
          orgId,
          meterId,
          type: 'leak',
          severity: 'critical',
          message: 'Possible leak: flow never stopped overnight',
          openKey: `${meterId}:leak`,
          captureId: alarmCapture.id,
        },
      })
    ).id;

    const otherOrg = await createOrg(prisma);
    theirMeterId = (await prisma.meter.create({ data: { orgId: otherOrg, name: 'Their meter', digits: 8 } }))
      .id;
    theirCaptureId = (await storedCapture(theirMeterId, photo.jpeg, photo.layout, 4, new Date())).id;

    // A real P-256 public key, as `web-push generate-vapid-keys` prints it.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    portal = await startPortal({
      DATABASE_URL: db.url,
      STORAGE_DIR: storageDir,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      WEB_PUSH_PUBLIC_KEY: ecdh.getPublicKey().toString('base64url'),
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await queue?.obliterate({ force: true }).catch(() => {});
    await queue?.close();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  async function contextFor(
    user: TestUser,
    viewport = { width: 1280, height: 900 },
  ): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport });
    await addSessionCookie(context, portal.base, prisma, user.id);
    return context;
  }

  function collectProblems(page: Page): string[] {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('Failed to load resource')) problems.push(m.text());
    });
    return problems;
  }

  it('operator: Enter confirms the first reading, a typed value corrects the next', async () => {
    const context = await contextFor(operator);
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${portal.base}/review`);
    await page.getByRole('heading', { name: 'Review', level: 1 }).waitFor();
    const first = page.getByRole('listitem').filter({ has: page.getByText('01234.567', { exact: true }) });
    await first.getByRole('img', { name: /Photo of Basement main/ }).waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('img[alt^="Photo of"]')].every(
        (i) => (i as HTMLImageElement).naturalWidth > 0,
      ),
    );
    expect(await page.locator('[data-testid="digit-box"]').count()).toBe(16);
    // The first card's field has the focus: one keystroke confirms.
    const focused = await page.evaluate(() => document.activeElement?.id);
    expect(focused).toBe(`value-${readings[0]}`);
    await page.screenshot({ path: path.join(artifacts, 'review.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Basement main: 01234.567 m³ confirmed.').waitFor();

    // Focus moved to the remaining card; type the right value and press Enter.
    await page.waitForFunction((id) => document.activeElement?.id === `value-${id}`, readings[1]);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('1234.567');
    await page.getByRole('button', { name: 'Save correction' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Basement main: corrected to 01234.567 m³.').waitFor();
    await page.getByText('All caught up.').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'review-done.png'), fullPage: true });

    const [confirmed, corrected] = await Promise.all(
      readings.map((id) => prisma.reading.findUniqueOrThrow({ where: { id } })),
    );
    expect(confirmed).toMatchObject({ status: 'accepted', reviewedBy: operator.id, originalValue: null });
    expect(corrected).toMatchObject({ status: 'corrected', value: '01234.567', originalValue: '01234.587' });
    expect(await prisma.auditLog.count({ where: { entityType: 'reading', actorId: operator.id } })).toBe(2);
    const samples = await prisma.trainingSample.findMany({
      where: { readingId: readings[0] },
      orderBy: { index: 'asc' },
    });
    expect(samples.map((s) => s.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('operator: acknowledges and clears an alarm; notify gets an alarm-event job for each', async () => {
    const context = await contextFor(operator);
    const page = await context.newPage();
    await page.goto(`${portal.base}/alarms`);
    const card = page.getByRole('listitem').filter({ hasText: 'Possible leak' });
    await card.getByText('Critical').waitFor();
    await card.getByRole('img', { name: 'Photo that raised the alarm on Basement main' }).waitFor();
    await page.getByRole('status').getByText('Live').waitFor({ timeout: 10_000 });
    // notify raises another alarm and announces it: it appears without a reload.
    const raised = await prisma.alarm.create({
      data: {
        orgId: operator.orgId,
        meterId,
        type: 'budget',
        severity: 'minor',
        message: 'Daily budget of 2 m³ exceeded',
        openKey: `${meterId}:budget`,
      },
    });
    const publisher = new Redis(REDIS_URL);
    await publisher.publish(
      LiveChannel,
      JSON.stringify({
        v: 1,
        type: 'alarm.raised',
        meterId,
        alarmId: raised.id,
        severity: 'minor',
        message: raised.message,
        at: new Date().toISOString(),
      }),
    );
    await publisher.quit();
    await page.getByText('Daily budget of 2 m³ exceeded').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(artifacts, 'alarms.png'), fullPage: true });
    await card
      .getByRole('button', { name: 'Acknowledge: Possible leak: flow never stopped overnight' })
      .click();
    await card.getByText('Acknowledged by Olga Operator').waitFor();
    await card.getByRole('button', { name: /^Clear/ }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Cleared' }).click();
    await page.getByText('Cleared by Olga Operator').waitFor();

    const alarm = await prisma.alarm.findUniqueOrThrow({ where: { id: alarmId } });
    expect(alarm).toMatchObject({
      status: 'cleared',
      acknowledgedBy: operator.id,
      clearedBy: operator.id,
      openKey: null,
    });
    await waitFor(async () => (await queue.count()) === 2, { timeoutMs: 5000, what: 'two alarm-event jobs' });
    expect((await queue.getJob(`${alarmId}-acknowledged`))?.data).toEqual({
      v: 1,
      alarmId,
      event: 'acknowledged',
      actorId: operator.id,
    });
    expect((await queue.getJob(`${alarmId}-cleared`))?.data.event).toBe('cleared');
    await context.close();
  });

  it('viewer: sees the queue and alarms without a single button, and the API refuses changes', async () => {
    const open = await prisma.alarm.create({
      data: {
        orgId: viewer.orgId,
        meterId,
        type: 'no-reading',
        severity: 'major',
        message: 'No reading for 2 hours',
        openKey: `${meterId}:no-reading`,
      },
    });
    const waiting = await prisma.reading.update({
      where: { id: readings[1]! },
      data: { status: 'needs_review' },
    });
    // A phone-sized screen.
    const context = await contextFor(viewer, { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${portal.base}/review`);
    await page.getByText('confirming and correcting needs an operator').waitFor();
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.locator('main').getByRole('button').count()).toBe(0);
    await page.goto(`${portal.base}/alarms`);
    await page.getByText('No reading for 2 hours').waitFor();
    expect(await page.locator('main').getByRole('button').count()).toBe(0);
    await page.getByRole('banner').getByText('Sign out').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'alarms-viewer-phone.png'), fullPage: true });

    const statuses = await page.evaluate(
      async ({ alarm, reading }) => {
        const post = (url: string, body?: unknown) =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          }).then((r) => r.status);
        return [
          await post(`/api/alarms/${alarm}/acknowledge`),
          await post(`/api/readings/${reading}/review`, { action: 'confirm' }),
        ];
      },
      { alarm: open.id, reading: waiting.id },
    );
    expect(statuses).toEqual([403, 403]);
    expect((await prisma.alarm.findUniqueOrThrow({ where: { id: open.id } })).status).toBe('active');
    expect((await prisma.reading.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe(
      'needs_review',
    );
    await context.close();
  });

  it('another organization’s meter and photo are 404; signed out, pages go to sign-in', async () => {
    const context = await contextFor(operator);
    const page = await context.newPage();
    const meter = await page.goto(`${portal.base}/meters/${theirMeterId}`);
    expect(meter?.status()).toBe(404);
    const image = await page.goto(`${portal.base}/api/captures/${theirCaptureId}/image`);
    expect(image?.status()).toBe(404);
    await context.close();

    const anonymous = await browser.newPage();
    await anonymous.goto(`${portal.base}/alarms`);
    expect(new URL(anonymous.url()).pathname).toBe('/signin');
    expect((await fetch(`${portal.base}/api/alarms/${alarmId}/clear`, { method: 'POST' })).status).toBe(401);
    await anonymous.close();
  });

  it('serves the manifest and the service worker, which registers and caches the offline page', async () => {
    const manifest = await fetch(`${portal.base}/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    expect(await manifest.json()).toMatchObject({ display: 'standalone', start_url: '/' });
    const sw = await fetch(`${portal.base}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${portal.base}/icons/icon-512.png`)).headers.get('content-type')).toBe('image/png');

    const context = await contextFor(operator, { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${portal.base}/alarms`);
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${portal.base}/`);
    await page.waitForFunction(async () => Boolean(await caches.match('/offline.html')));
    await context.close();
  });

  it('notification settings on a phone: this device can turn push on, preferences save from the form', async () => {
    const context = await contextFor(operator, { width: 390, height: 844 });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${portal.base}/notifications`);
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.getByText('Alarm notifications are off.').waitFor();
    await page.getByRole('button', { name: 'Turn on' }).waitFor();
    await page.getByRole('checkbox', { name: 'Minor alarms: Browser (this portal)' }).check();
    await page.getByRole('checkbox', { name: 'Major alarms: Phone app' }).uncheck();
    await page.getByLabel('Only critical alarms during quiet hours').check();
    await page.getByLabel('From').fill('21:30');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Saved.').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'notifications-phone.png'), fullPage: true });
    const row = await prisma.notificationPreference.findUniqueOrThrow({ where: { userId: operator.id } });
    expect(row).toMatchObject({
      quietStart: '21:30',
      quietEnd: '07:00',
      timeZone: 'Europe/Berlin',
      digestMinutes: 60,
    });
    expect(row.channels).toEqual({
      critical: ['fcm', 'webpush'],
      major: ['webpush'],
      minor: ['webpush'],
      warning: [],
    });

    // A bad time zone is refused with the reason, and nothing changes.
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page
      .getByRole('alert')
      .getByText('Time zone: not an IANA time zone (e.g. Asia/Seoul).')
      .waitFor();
    expect(
      (await prisma.notificationPreference.findUniqueOrThrow({ where: { userId: operator.id } })).timeZone,
    ).toBe('Europe/Berlin');
    await page.goto(`${portal.base}/review`);
    await page.screenshot({ path: path.join(artifacts, 'review-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
