import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveChannel } from '@metertwin/contracts';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg, createReading, LAYOUT, TINY_PNG } from './fixtures';
import { createUser, signIn, type TestUser } from './support/auth';
import {
  artifacts,
  assertBrowserTestReady,
  launchChromium,
  startPortal,
  type RunningPortal,
} from './support/portal';

/**
 * Smoke test of the built portal (`pnpm --filter @metertwin/web build` first) in Debian's chromium:
 * `next start` against a throwaway database, sign-in, the fleet page, the twin page with its overlay,
 * and a live update arriving through Redis. It fails, rather than skips, when the build or chromium
 * is missing: scripts/test.sh builds the portal and installs Debian's chromium first.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('portal in a browser', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let portal: RunningPortal;
  let browser: Browser;
  let context: BrowserContext;
  let operator: TestUser;
  let base: string;
  let meterId: string;
  let publisher: Redis;

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-smoke-'));
    await mkdir(artifacts, { recursive: true });
    publisher = new Redis(REDIS_URL);

    const orgId = await createOrg(prisma);
    operator = await createUser(prisma, { orgId, role: 'operator', name: 'Olga Operator' });
    meterId = (
      await prisma.meter.create({
        data: { orgId, name: 'Smoke meter', location: 'Lab', digits: 4, decimals: 1, layout: LAYOUT },
      })
    ).id;
    await prisma.meter.create({ data: { orgId, name: 'Smoke meter without camera', digits: 5 } });
    const digits = LAYOUT.digits.map((box, i) => ({
      value: i + 1,
      digit: i + 1,
      confidence: [0.95, 0.7, 0.4, 0.9][i],
      box,
    }));
    const reading = await createReading(prisma, meterId, {
      takenAt: new Date(Date.now() - 60_000),
      value: '123.4',
      confidence: 0.4,
      status: 'needs_review',
      digits,
      capture: { width: 640, height: 480 },
    });
    const capture = await prisma.capture.findUniqueOrThrow({ where: { id: reading.captureId } });
    await new DiskStorage(storageDir).put(capture.storageKey, TINY_PNG);
    // Two weeks of daily accepted readings for the history chart, each with its photo.
    for (let day = 14; day >= 1; day--) {
      const consumption = 0.5 + (day % 4) * 0.25;
      const past = await createReading(prisma, meterId, {
        takenAt: new Date(Date.now() - day * 86_400_000),
        value: (100 + (14 - day) * 1.5).toFixed(1),
        numeric: (100 + (14 - day) * 1.5).toFixed(1),
        consumption: consumption.toFixed(2),
      });
      const pastCapture = await prisma.capture.findUniqueOrThrow({ where: { id: past.captureId } });
      await new DiskStorage(storageDir).put(pastCapture.storageKey, TINY_PNG);
    }

    portal = await startPortal({ DATABASE_URL: db.url, STORAGE_DIR: storageDir, REDIS_URL });
    base = portal.base;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await publisher?.quit();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it('sends a signed-out visitor to the sign-in page and back after signing in', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/meters/${meterId}`);
    await page.waitForURL(`${base}/signin?next=${encodeURIComponent(`/meters/${meterId}`)}`);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.getByLabel('E-mail').fill(operator.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .getByText(/do not match an account/)
      .waitFor();
    await page.screenshot({ path: path.join(artifacts, 'signin-error.png'), fullPage: true });
    await page.getByLabel('E-mail').fill(operator.email);
    await page.getByLabel('Password').fill(operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/meters/${meterId}`);
    await page.getByRole('banner').getByText('Olga Operator').waitFor();
    await page.close();
  });

  it('lists the fleet and links to the twin', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, base, operator);
    await page.getByRole('banner').getByText('Olga Operator').waitFor();
    await page.goto(base);
    await page.getByRole('heading', { name: 'Meters', level: 1 }).waitFor();
    const tile = page.locator(`li[data-meter-id="${meterId}"]`);
    await tile.getByRole('img', { name: '123.4 m³' }).waitFor();
    await tile.getByText('Needs review').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'without camera' }).getByText('No camera').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'fleet.png'), fullPage: true });
    await page.getByRole('link', { name: 'Smoke meter', exact: true }).click();
    await page.waitForURL(`${base}/meters/${meterId}`);
    await page.close();
  });

  it('draws the photo with coloured digit boxes and refreshes when a reading arrives', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${base}/meters/${meterId}`);
    expect(response?.status()).toBe(200);
    const img = page.getByRole('img', { name: /Latest photo of Smoke meter/ });
    await img.waitFor();
    await page.waitForFunction(
      () =>
        (document.querySelector('img[alt^="Latest photo"]') as HTMLImageElement | null)?.naturalWidth === 2,
    );
    const levels = await page
      .locator('[data-testid="digit-box"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
    expect(levels).toEqual(['high', 'medium', 'low', 'high']);
    expect(await page.locator('[data-testid="window-box"]').count()).toBe(1);
    await page.getByRole('status').getByText('Live').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(artifacts, 'twin.png'), fullPage: true });

    // A new reading is stored and announced on the live channel, as recognize does.
    const next = await createReading(prisma, meterId, {
      takenAt: new Date(),
      value: '123.9',
      confidence: 0.93,
    });
    await publisher.publish(
      LiveChannel,
      JSON.stringify({
        v: 1,
        type: 'reading.stored',
        meterId,
        readingId: next.id,
        captureId: next.captureId,
        value: '123.9',
        status: 'accepted',
        at: new Date().toISOString(),
      }),
    );
    await page.getByRole('img', { name: '123.9 m³' }).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('draws the history chart, opens the photo behind a point and links the CSV export', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('Failed to load resource')) problems.push(m.text());
    });
    await page.goto(`${base}/meters/${meterId}`);
    const chart = page.getByTestId('history-chart');
    await chart.locator('canvas').waitFor();
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-label')).toMatch(/^Consumption per day over the last 60 days: /);
    expect(await page.getByRole('button', { name: '60 days' }).getAttribute('aria-pressed')).toBe('true');

    // Click near the right end of the plot: the photo of the nearest reading opens in a panel.
    const over = chart.locator('.u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await over.hover({ position: { x: box.width - 30, y: box.height / 2 } });
    await over.click({ position: { x: box.width - 30, y: box.height / 2 } });
    const panel = page.getByRole('region', { name: 'Photo of the selected reading' });
    await panel.getByRole('img', { name: /Photo of Smoke meter taken/ }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'twin-history.png'), fullPage: true });

    await page.getByRole('button', { name: '48 hours' }).click();
    await chart
      .getByText(/Consumption \(m³\)/)
      .first()
      .waitFor();
    expect(await chart.getAttribute('aria-label')).toMatch(/^Consumption per hour over the last 48 hours: /);
    await page.getByRole('button', { name: '24 months' }).click();
    await chart.locator('canvas').waitFor();
    await chart.screenshot({ path: path.join(artifacts, 'twin-history-months.png') });
    expect(problems).toEqual([]);

    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(href).toBe(`/api/meters/${meterId}/readings.csv`);
    const cookies = await context.cookies(base);
    const csv = await fetch(`${base}${href}`, {
      headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[0]).toBe(
      'taken_at,value,numeric,status,confidence,consumption,flow_per_hour,reason',
    );
    await page.close();
  });

  it('answers 404 for an unknown meter', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${base}/meters/${randomUUID()}`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await page.close();
  });
});
