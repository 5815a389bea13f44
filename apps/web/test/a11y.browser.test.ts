import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import { artifacts, assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';
import { seedTwinMeter } from './support/twin-seed';

/**
 * Accessibility of every page, in Debian's chromium against the built portal: axe-core (WCAG 2.1 A and
 * AA rules) finds no serious or critical violation on any page, in English and Korean, on a desktop
 * and on a 390×844 phone; the phone screenshots land in test-artifacts/phone-*.png to be looked at.
 * Keyboard use: Tab reaches the main navigation with a visible focus; a review is confirmed with Enter,
 * an actuator commanded and notification preferences saved without a mouse.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** The page's serious and critical axe violations, each with the elements it found them on. */
async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * The innermost elements that stick out past the right edge of the screen when the page scrolls
 * sideways (none when it does not), named by tag and class for the failure message.
 */
function widerThanScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    // inside a container that scrolls (or clips) on its own, an element may be wider than the screen
    const clipped = (el: Element) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') return true;
      }
      return false;
    };
    const out = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(el));
    const innermost = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
    if (innermost.length === 0) return [`the page is ${document.documentElement.scrollWidth} px wide (an absolutely positioned element escapes its scroll container?)`];
    const name = (el: Element | null) => (el ? `${el.tagName.toLowerCase()}${[...el.classList].map((c) => `.${c}`).join('')}` : '');
    return innermost.slice(0, 5).map((el) => `${name(el.parentElement)} > ${name(el)} (${Math.round(el.getBoundingClientRect().right)} px)`);
  });
}

describe('accessibility of every page', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let camera: CameraSimulator;
  let portal: RunningPortal;
  let browser: Browser;
  let base: string;
  let admin: TestUser;
  let pages: string[];
  let meterId: string;

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-a11y-'));
    await mkdir(artifacts, { recursive: true });
    camera = await startCameraSimulator({ start: 1234.567, rate: 0, seed: 3 });
    const orgId = await createOrg(prisma);
    admin = await createUser(prisma, { orgId, role: 'admin', name: '관리자' });
    meterId = await seedTwinMeter(prisma, { orgId, storageDir, camera });
    // Something on the review queue and the actuators page, so that their cards are checked too.
    const latest = await prisma.reading.findFirstOrThrow({ where: { meterId }, orderBy: { takenAt: 'desc' } });
    await prisma.reading.update({ where: { id: latest.id }, data: { status: 'needs_review', reason: 'low confidence' } });
    await prisma.actuator.create({ data: { orgId, meterId, name: '메인 밸브', kind: 'mqtt', config: { url: 'mqtt://127.0.0.1:1883', commandTopic: 'valves/main/set', stateTopic: 'valves/main/state' } } });
    pages = ['/', `/meters/${meterId}`, '/review', '/alarms', '/rules', '/actuators', '/notifications', '/settings', '/onboard', `/meters/${meterId}/settings`];

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

  async function signedIn(locale: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
    const context = await browser.newContext({ locale, viewport });
    await addSessionCookie(context, base, prisma, admin.id);
    await context.addCookies([{ name: 'mt_locale', value: locale.slice(0, 2), url: base }]);
    await prisma.user.update({ where: { id: admin.id }, data: { locale: locale.slice(0, 2) } });
    return context;
  }

  for (const [locale, viewport, label] of [
    ['en-US', DESKTOP, 'desktop'],
    ['ko-KR', PHONE, 'phone'],
  ] as const) {
    it(`finds no serious or critical violation on any page (${locale}, ${label})`, async () => {
      const context = await signedIn(locale, viewport);
      const page = await context.newPage();
      const found: Record<string, Violation[]> = {};
      const wide: Record<string, string[]> = {};
      for (const pathname of pages) {
        await page.goto(`${base}${pathname}`);
        await page.locator('h1').first().waitFor();
        await page.waitForFunction(() => [...document.images].every((i) => i.complete));
        const violations = await seriousViolations(page);
        if (violations.length) found[pathname] = violations;
        if (label === 'phone') {
          const name = pathname === '/' ? 'fleet' : pathname.split('/').filter((part) => part && part !== meterId).join('-');
          await page.screenshot({ path: path.join(artifacts, `phone-${name}.png`), fullPage: true });
          // Usable on a phone: nothing wider than the screen makes the page scroll sideways.
          const tooWide = await widerThanScreen(page);
          if (tooWide.length) wide[pathname] = tooWide;
        }
      }
      await context.close();

      const signedOut = await browser.newContext({ locale, viewport });
      const signin = await signedOut.newPage();
      await signin.goto(`${base}/signin`);
      await signin.locator('h1').waitFor();
      const onSignin = await seriousViolations(signin);
      if (onSignin.length) found['/signin'] = onSignin;
      await signedOut.close();

      expect(found).toEqual({});
      expect(wide).toEqual({});
    });
  }

  it('is usable by keyboard: the navigation with a visible focus, a review, an actuator command, preferences', async () => {
    const context = await signedIn('en-US', DESKTOP);
    const page = await context.newPage();
    await page.goto(base);
    await page.locator('h1').first().waitFor();
    const visited: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        return { text: (el.textContent ?? '').trim(), href: el.getAttribute('href'), visible: visible || style.boxShadow !== 'none' };
      });
      if (!focus) continue;
      expect(focus.visible, `focus on "${focus.text}" is not visible`).toBe(true);
      if (focus.href) visited.push(focus.href);
    }
    // the header's navigation is reachable: fleet, review, alarms …
    expect(visited).toEqual(expect.arrayContaining(['/review', '/alarms', '/rules']));

    // The review queue: the value field has the focus, Enter confirms the reading as read.
    await page.goto(`${base}/review`);
    await page.locator('input[id^="value-"]:focus').waitFor();
    await page.keyboard.press('Enter');
    await page.getByText('본관 급수: 01234.567 m³ confirmed.').waitFor();
    expect((await prisma.reading.findFirstOrThrow({ where: { status: 'needs_review' } }).catch(() => null))).toBeNull();

    // An actuator closed from the keyboard: its command is recorded and the answer shown.
    await page.goto(`${base}/actuators`);
    await page.getByRole('button', { name: 'Close 메인 밸브' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /close command queued|recorded, but the queue is unreachable/ }).waitFor();
    expect(await prisma.actuationCommand.count({ where: { command: 'close' } })).toBe(1);

    // Notification preferences saved by keyboard.
    await page.goto(`${base}/notifications`);
    await page.getByRole('button', { name: 'Save preferences' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Saved.').waitFor();
    expect(await prisma.notificationPreference.count({ where: { userId: admin.id } })).toBe(1);
    await context.close();
  });
});
