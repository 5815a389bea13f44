import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { composeMeter } from '@metertwin/composer';
import { createOrg, createReading, LAYOUT, TINY_PNG } from './fixtures';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import {
  artifacts,
  assertBrowserTestReady,
  launchChromium,
  startPortal,
  type RunningPortal,
} from './support/portal';

/**
 * The portal's security headers on `next start`, and every page rendered in Debian's chromium under
 * its Content-Security-Policy without a single violation (the twin's uPlot chart and photo included).
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('security headers', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let portal: RunningPortal;
  let browser: Browser;
  let operator: TestUser;
  let meterId: string;

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-headers-'));
    await mkdir(artifacts, { recursive: true });
    const orgId = await createOrg(prisma);
    operator = await createUser(prisma, { orgId, role: 'operator' });
    meterId = (
      await prisma.meter.create({
        data: { orgId, name: 'Header meter', digits: 4, decimals: 1, layout: LAYOUT },
      })
    ).id;
    // A reading waiting for review (the review queue and the twin's photo) and two weeks of history.
    const digits = LAYOUT.digits.map((box, i) => ({ value: i + 1, digit: i + 1, confidence: 0.5, box }));
    const readings = [
      await createReading(prisma, meterId, {
        takenAt: new Date(Date.now() - 60_000),
        value: '123.4',
        confidence: 0.5,
        status: 'needs_review',
        digits,
        capture: { width: 640, height: 480 },
      }),
    ];
    for (let day = 14; day >= 1; day--) {
      readings.push(
        await createReading(prisma, meterId, {
          takenAt: new Date(Date.now() - day * 86_400_000),
          value: (100 + (14 - day) * 1.5).toFixed(1),
          numeric: (100 + (14 - day) * 1.5).toFixed(1),
          consumption: '1.50',
        }),
      );
    }
    for (const reading of readings) {
      const capture = await prisma.capture.findUniqueOrThrow({ where: { id: reading.captureId } });
      await new DiskStorage(storageDir).put(capture.storageKey, TINY_PNG);
    }
    portal = await startPortal({ DATABASE_URL: db.url, STORAGE_DIR: storageDir, REDIS_URL });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${portal.base}${url}`, { redirect: 'manual', headers });

  /** The directives of a Content-Security-Policy header, by name. */
  function directives(csp: string | null): Map<string, string[]> {
    return new Map(
      (csp ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...values]) => [name!, values]),
    );
  }

  it('sends the headers on pages, API answers, redirects and static files', async () => {
    for (const url of ['/signin', '/api/healthz', '/', '/sw.js', '/offline.html']) {
      const res = await get(url);
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), url).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('permissions-policy'), url).toMatch(/camera=\(\)/);
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
    }
    for (const url of ['/signin', '/api/healthz', '/offline.html']) {
      expect(
        directives((await get(url)).headers.get('content-security-policy')).get('frame-ancestors'),
        url,
      ).toEqual(["'none'"]);
    }
  });

  it('gives every page a fresh script nonce and no unsafe-inline or unsafe-eval for scripts', async () => {
    const [a, b] = await Promise.all([get('/signin'), get('/signin')]);
    const csp = directives(a.headers.get('content-security-policy'));
    const scripts = csp.get('script-src')!;
    expect(scripts).toContain("'strict-dynamic'");
    expect(scripts.join(' ')).not.toMatch(/unsafe-inline|unsafe-eval/);
    const nonce = scripts.find((s) => s.startsWith("'nonce-"))!;
    expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/=]{20,}'$/);
    expect(directives(b.headers.get('content-security-policy')).get('script-src')).not.toContain(nonce);
    // Next puts that nonce on its own inline and external scripts.
    const html = await a.text();
    expect(html).toContain(`nonce="${nonce.slice(7, -1)}"`);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('sends Strict-Transport-Security only for requests that came over https', async () => {
    expect((await get('/signin')).headers.get('strict-transport-security')).toBeNull();
    expect((await get('/api/healthz')).headers.get('strict-transport-security')).toBeNull();
    for (const url of ['/signin', '/api/healthz', '/sw.js']) {
      const res = await get(url, { 'x-forwarded-proto': 'https' });
      expect(res.headers.get('strict-transport-security'), url).toBe('max-age=31536000');
    }
  });

  /** Opens `url`, waits for `ready`, and returns the CSP violations the page reported or logged. */
  async function violationsOn(page: Page, url: string, ready: string): Promise<string[]> {
    const found: string[] = [];
    const onConsole = (m: { type(): string; text(): string }) => {
      if (/Content Security Policy|Permissions-Policy/i.test(m.text()))
        found.push(`${m.type()}: ${m.text()}`);
    };
    page.on('console', onConsole);
    await page.goto(`${portal.base}${url}`);
    await page.locator(ready).first().waitFor();
    // Late work: the service worker registering, the chart drawing, the live stream connecting.
    await page.waitForTimeout(1000);
    found.push(...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)));
    page.off('console', onConsole);
    return found;
  }

  it('renders every page in chromium without a CSP violation', async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Collected by the page itself too, from the first script on (init scripts are not subject to CSP).
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
      );
    });
    const page = await context.newPage();
    expect(await violationsOn(page, '/signin', 'form input[name="email"]')).toEqual([]);
    await addSessionCookie(context, portal.base, prisma, operator.id);
    const pages: [string, string][] = [
      ['/', `li[data-meter-id="${meterId}"]`],
      [`/meters/${meterId}`, '[data-testid="history-chart"] canvas'],
      ['/review', 'main h1'],
      ['/alarms', 'main h1'],
      ['/rules', 'main h1'],
      ['/actuators', 'main h1'],
      ['/notifications', 'main h1'],
      ['/settings', 'main h1'],
      ['/onboard', 'main h1'],
      ['/meters/00000000-0000-0000-0000-000000000000', 'text=Not found'],
    ];
    for (const [url, ready] of pages) {
      expect(await violationsOn(page, url, ready), url).toEqual([]);
    }
    // The twin's photo and chart did render under the policy.
    await page.goto(`${portal.base}/meters/${meterId}`);
    await page.locator('[data-testid="history-chart"] canvas').waitFor();
    expect(
      await page
        .locator('img[src^="/api/captures/"]')
        .first()
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(artifacts, 'twin-under-csp.png'), fullPage: true });
    // The onboarding wizard shows an uploaded photo (as a data: URL) under the layout boxes.
    await page.goto(`${portal.base}/onboard`);
    await page.getByLabel('The camera pushes photos (device token)').check();
    const photo = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 5, effects: 0.1 });
    await page
      .getByLabel('A photo from the camera, to set up the counter layout')
      .setInputFiles({ name: 'meter.jpg', mimeType: 'image/jpeg', buffer: photo.jpeg });
    await page.locator('[data-box="window"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    // The offline page, as the service worker would show it.
    expect(await violationsOn(page, '/offline.html', 'text=You are offline')).toEqual([]);
    await context.close();
  });
});
