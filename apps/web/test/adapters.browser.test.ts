import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, recordAdapter, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, waitFor, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { addSessionCookie, createUser } from './support/auth';
import { artifacts, assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';

/** The meter page's "Learning this meter" card in the built portal: trust, adapters, an admin's restore. */
describe('learning a meter, in a browser', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let portal: RunningPortal;
  let browser: Browser;
  let orgId: string;
  let meterId: string;

  beforeAll(async () => {
    assertBrowserTestReady();
    await mkdir(artifacts, { recursive: true });
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-adapters-browser-'));
    orgId = await createOrg(prisma);
    meterId = (
      await prisma.meter.create({
        data: {
          orgId, name: 'Cellar main', digits: 8, decimals: 3, trust: 'trusted',
          trustFigures: { n: 12, right: 12, wrongConfident: 0, readings: 6, reason: '12 of 12 held-back labels read right, none wrong with confidence' },
          learnedDrive: 'continuous',
          driveFigures: { readings: 9, jump: 0, continuous: 5, outcome: 'learned', reason: '5 of the 5 reviewed readings that tell the drives apart show a continuous drive' },
        },
      })
    ).id;
    const trained = (version: string, labelCount: number, right: number, verdict: { promote: true } | { promote: false; reason: string }) =>
      recordAdapter(prisma, {
        id: crypto.randomUUID(), meterId, kind: 'digits', version, baseVersion: '1fd8308c224b', storagePrefix: `adapters/${meterId}/${version}`, labelCount,
        heldBack: { base: { n: labelCount / 5, right: labelCount / 5 - 2, wrongConfident: 1, truthMass: 0.8 }, adapted: { n: labelCount / 5, right, wrongConfident: 0, truthMass: 0.95 } },
        minConfidence: labelCount >= 80 ? 0.84 : null,
        threshold: { serviceMin: 0.9, reason: labelCount >= 80 ? '6 held-back labels read right below 0.9, none wrong at or above 0.84: lowered to 0.84' : '8 held-back label(s), 30 needed to learn a threshold' },
        verdict,
      });
    await trained('9abcb0855997', 40, 8, { promote: true });
    await trained('d760516a3d6c', 60, 9, { promote: false, reason: 'not better than the base model' });
    await trained('5e1f00c0ffee', 80, 16, { promote: true });
    portal = await startPortal({ DATABASE_URL: db.url, STORAGE_DIR: storageDir, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, { timeoutMs: 60_000 });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  async function pageAs(role: 'admin' | 'viewer') {
    const user = await createUser(prisma, { orgId, role });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await addSessionCookie(context, portal.base, prisma, user.id);
    const page = await context.newPage();
    await page.goto(`${portal.base}/meters/${meterId}`);
    return { page, context };
  }

  it('shows the trust and every adapter with its held-back figures; an admin restores the previous adapter', async () => {
    const { page, context } = await pageAs('admin');
    const card = page.getByTestId('learning');
    await expect(card.getByTestId('trust').textContent()).resolves.toBe('Trusted');
    const rows = card.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toMatch(/5e1f00c0ffee.*in use.*80.*14\/16 right, 1 wrong with confidence.*16\/16 right, 0 wrong with confidence.*0\.84 \(learned\)/);
    expect(await card.textContent()).toMatch(/accepted when every drum reaches 0\.84 \(learned\): 6 held-back labels/);
    expect(await rows.nth(1).textContent()).toMatch(/d760516a3d6c.*rejected.*not better than the base model/);
    expect(await rows.nth(2).textContent()).toMatch(/9abcb0855997.*retired.*replaced by 5e1f00c0ffee/);
    expect(await card.getByTestId('meter-drive').textContent()).toMatch(/continuous .*learned from 5 of 5 reviewed readings/);
    await page.screenshot({ path: path.join(artifacts, 'meter-learning.png'), fullPage: true });

    await card.getByRole('button', { name: 'Restore adapter 9abcb0855997' }).click();
    await waitFor(async () => (await rows.nth(2).textContent())?.includes('in use'), { what: 'the restored adapter in use' });
    expect(await prisma.meterAdapter.findFirst({ where: { meterId, status: 'promoted' } })).toMatchObject({ version: '9abcb0855997' });
    // The restored adapter brings its own threshold: the service's.
    expect(await card.textContent()).toMatch(/accepted when every drum reaches 0\.9 \(service\)/);
    await expect(card.getByRole('button', { name: 'Restore the base model' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(artifacts, 'meter-learning-restored.png'), fullPage: true });
    await context.close();
  });

  it('offers viewers no restore button', async () => {
    const { page, context } = await pageAs('viewer');
    await expect(page.getByTestId('learning').isVisible()).resolves.toBe(true);
    expect(await page.getByRole('button', { name: /Restore/ }).count()).toBe(0);
    await context.close();
  });
});
