import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import { artifacts, assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';
import { seedTwinMeter } from './support/twin-seed';

/**
 * The portal in Korean, in Debian's chromium against the built portal and a throwaway database: the
 * header's switch turns an English page Korean and stores the choice (profile, then cookie), numbers
 * and dates follow ko-KR and the meter's time zone, and no page shows English words. The data is
 * Korean too, so any Latin word on a page is the portal's own.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PAGES = ['/', '/review', '/alarms', '/rules', '/actuators', '/notifications', '/settings', '/onboard'];

/**
 * Words that are the same in Korean: the product, units, abbreviations, key names in the onboarding
 * hints, the switch's own "English", API names in <code>, product names, and what the test's data carries (the
 * model version).
 */
const ALLOWED = new Set([
  'MeterTwin', 'kWh', 'UTC', 'GMT', 'CSV', 'JSON', 'URL', 'API', 'CIDR', 'SCADA', 'English',
  'Enter', 'Tab', 'Shift', 'Alt', 'Delete', 'Asia', 'Seoul', 'cnn', 'POST', 'Authorization', 'Bearer',
  'mtk', 'notify', 'ingest', 'actuators', 'WEB', 'PUSH', 'PUBLIC', 'KEY', 'JPEG',
  // Home Assistant's own name, its protocol and config format, and its discovery topic in <code>
  'Home', 'Assistant', 'MQTT', 'YAML', 'homeassistant', 'sensor',
  // hardware as Korean writes it: the ESP32-CAM board and its LED
  'ESP', 'CAM', 'LED',
]);

/**
 * The Latin words that are not allowed in what a reader sees (innerText) and what assistive technology
 * reads (aria-label, alt, title, placeholder).
 */
async function englishWords(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const attributes = ['aria-label', 'alt', 'title', 'placeholder'];
    const labels = [...document.body.querySelectorAll(attributes.map((a) => `[${a}]`).join(','))].flatMap((el) =>
      attributes.map((a) => el.getAttribute(a) ?? ''),
    );
    return [document.body.innerText, ...labels].join('\n');
  });
  // an example URL (the snapshot field's placeholder) is not language
  const words = text.replace(/https?:\/\/\S+/g, '').match(/[A-Za-z]{2,}/g) ?? [];
  return [...new Set(words)].filter((w) => !ALLOWED.has(w));
}

describe('the portal in Korean', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let camera: CameraSimulator;
  let portal: RunningPortal;
  let browser: Browser;
  let base: string;
  let operator: TestUser;
  let meterId: string;

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-i18n-'));
    await mkdir(artifacts, { recursive: true });
    camera = await startCameraSimulator({ start: 1234.567, rate: 0, seed: 3 });
    const orgId = await createOrg(prisma);
    operator = await createUser(prisma, { orgId, role: 'operator', name: '김운영' });
    meterId = await seedTwinMeter(prisma, { orgId, storageDir, camera });

    portal = await startPortal({ DATABASE_URL: db.url, STORAGE_DIR: storageDir, REDIS_URL });
    base = portal.base;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await camera?.close();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it('switches to Korean from the header and keeps the choice in the profile', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await addSessionCookie(context, base, prisma, operator.id);
    const page = await context.newPage();
    await page.goto(base);
    await page.getByRole('heading', { name: 'Meters', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
    await page.getByRole('heading', { name: '계량기', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    // ICU plural in Korean: "계량기 2대"
    await page.getByText('계량기 2대', { exact: true }).waitFor();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: operator.id } })).locale).toBe('ko');
    await context.close();

    // Another browser that asks for English: the profile wins.
    const other = await browser.newContext({ locale: 'en-US' });
    await addSessionCookie(other, base, prisma, operator.id);
    const again = await other.newPage();
    await again.goto(`${base}/alarms`);
    await again.getByRole('heading', { name: '경보', level: 1 }).waitFor();
    await again.getByText('활성 1건 · 확인됨 0건 · 해제됨 0건').waitFor();
    await other.close();
  });

  it('shows the fleet and the twin with Korean numbers, dates and the meter’s time zone', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await addSessionCookie(context, base, prisma, operator.id);
    const page = await context.newPage();

    await page.goto(base);
    const tile = page.locator(`li[data-meter-id="${meterId}"]`);
    await tile.getByText('경보 1건').waitFor();
    await tile.getByText(/^\d+분 전$/).waitFor();
    await tile.getByRole('img', { name: /^최근 24시간 시간별 사용량, 합계 [\d,.]+ m³$/ }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'fleet-ko.png'), fullPage: true });

    await page.goto(`${base}/meters/${meterId}`);
    await page.getByRole('heading', { name: '현재 검침값' }).waitFor();
    // Yesterday's consumption with thousands separators, in the meter's zone
    const totals = page.getByTestId('totals');
    await totals.getByText('어제').waitFor();
    expect(await totals.textContent()).toContain('1,250.5 m³');
    // The readings table: ko-KR dates in Asia/Seoul (GMT+9)
    const firstRow = page.locator('section[aria-labelledby="history-title"] tbody tr').first();
    expect(await firstRow.textContent()).toMatch(/\d{4}년 \d{1,2}월 \d{1,2}일 \d{1,2}시 \d{1,2}분 \d{1,2}초 GMT\+9/);
    expect(await firstRow.textContent()).toContain('95%');
    const chart = page.getByTestId('history-chart');
    expect(await chart.getAttribute('aria-label')).toMatch(/^최근 60일의 일별 사용량: 합계 [\d,]+(\.\d+)? m³/);
    // the photo has loaded before the screenshot
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    await page.screenshot({ path: path.join(artifacts, 'twin-ko.png'), fullPage: true });
    await context.close();
  });

  it('shows no English words on any page in Korean', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await addSessionCookie(context, base, prisma, operator.id);
    const page = await context.newPage();
    // next-intl reports a missing or broken message on the console (browser) or the server's log
    const messageErrors: string[] = [];
    page.on('console', (m) => {
      if (/MISSING_MESSAGE|FORMATTING_ERROR|INVALID_MESSAGE/.test(m.text())) messageErrors.push(m.text());
    });
    const found: Record<string, string[]> = {};
    for (const pathname of [...PAGES, `/meters/${meterId}`]) {
      await page.goto(`${base}${pathname}`);
      await page.locator('h1').first().waitFor();
      const words = await englishWords(page);
      if (words.length) found[pathname] = words;
    }
    expect(found).toEqual({});
    expect(messageErrors).toEqual([]);
    expect(portal.output()).not.toMatch(/MISSING_MESSAGE|FORMATTING_ERROR|INVALID_MESSAGE/);
    await context.close();
  });

  it('follows the browser before sign-in, and keeps a signed-out choice in a cookie', async () => {
    const korean = await browser.newContext({ locale: 'ko-KR' });
    const page = await korean.newPage();
    await page.goto(`${base}/signin`);
    await page.getByRole('heading', { name: '로그인', level: 1 }).waitFor();
    expect(await englishWords(page)).toEqual([]);
    await korean.close();

    const english = await browser.newContext({ locale: 'en-US' });
    const visitor = await english.newPage();
    await visitor.goto(`${base}/signin`);
    await visitor.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await visitor.getByRole('combobox', { name: 'Language' }).selectOption('ko');
    await visitor.getByRole('heading', { name: '로그인', level: 1 }).waitFor();
    await visitor.reload();
    await visitor.getByRole('heading', { name: '로그인', level: 1 }).waitFor();
    expect((await english.cookies(base)).find((c) => c.name === 'mt_locale')?.value).toBe('ko');
    await english.close();
  });
});
