import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { addSessionCookie, createUser } from './support/auth';
import { artifacts, assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';

/**
 * A meter's settings page in the built portal under `next start`, with the simulated camera: an
 * operator renames the meter and changes its decimals, archives and unarchives it, and draws a new
 * reference on a fresh snapshot up to its first reading; a Korean-speaking admin deletes the meter.
 */
describe("a meter's settings, in a browser", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let camera: CameraSimulator;
  let portal: RunningPortal;
  let browser: Browser;
  let page: Page;
  let meterId: string;
  let orgId: string;

  beforeAll(async () => {
    assertBrowserTestReady();
    await mkdir(artifacts, { recursive: true });
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-settings-browser-'));
    camera = await startCameraSimulator({ start: 1234.5, rate: 0, seed: 7 });
    orgId = await createOrg(prisma);
    meterId = (
      await prisma.meter.create({
        data: {
          orgId,
          name: 'Cellar main',
          location: 'Cellar',
          digits: 8,
          decimals: 3,
          layout: camera.layout,
          devices: { create: { name: 'cellar cam', snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 60 } },
        },
      })
    ).id;
    await prisma.meter.create({ data: { orgId, name: 'Attic spare', digits: 5 } });
    portal = await startPortal(
      {
        DATABASE_URL: db.url,
        STORAGE_DIR: storageDir,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        OUTBOUND_ALLOWED_HOSTS: new URL(camera.url).host,
      },
      { timeoutMs: 60_000 },
    );
    browser = await launchChromium();
    const operator = await createUser(prisma, { orgId, role: 'operator' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await addSessionCookie(context, portal.base, prisma, operator.id);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await camera?.close();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it('renames the meter and changes its decimals from the twin’s settings link; a bad time zone is refused in place', async () => {
    await page.goto(`${portal.base}/meters/${meterId}`);
    await page.getByRole('link', { name: 'Meter settings' }).click();
    await page.waitForURL(/\/settings$/);
    const details = page.getByRole('form', { name: 'Meter' });
    await details.getByLabel('Name').fill('Cellar main (new)');
    await details.getByLabel(/^Decimal drums/).fill('2');
    await details.getByLabel('Time zone').fill('Europe/Atlantis');
    await details.getByRole('button', { name: 'Save meter' }).click();
    await expect.poll(() => details.getByRole('alert').textContent()).toMatch(/Time zone: not an IANA time zone/);
    expect(await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).toMatchObject({ name: 'Cellar main', decimals: 3 });

    await details.getByLabel('Time zone').fill('Asia/Seoul');
    await details.getByRole('button', { name: 'Save meter' }).click();
    await details.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).toMatchObject({ name: 'Cellar main (new)', decimals: 2, timeZone: 'Asia/Seoul' });
    await page.getByRole('heading', { name: 'Settings of Cellar main (new)' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'meter-settings.png'), fullPage: true });
  });

  it('archives the meter (hidden from the fleet unless shown) and puts it back in service', async () => {
    await page.goto(`${portal.base}/meters/${meterId}/settings`);
    await page.getByRole('button', { name: 'Archive this meter' }).click();
    await page.getByRole('button', { name: 'Put back in service' }).waitFor();
    expect((await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).archivedAt).not.toBeNull();

    await page.goto(portal.base);
    await page.locator('[data-meter-id]').filter({ hasText: 'Attic spare' }).waitFor();
    expect(await page.locator(`[data-meter-id="${meterId}"]`).count()).toBe(0);
    await page.getByLabel('Show archived').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/archived=1/);
    await page.locator(`[data-meter-id="${meterId}"]`).getByText('Archived').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'fleet-archived.png'), fullPage: true });

    await page.goto(`${portal.base}/meters/${meterId}`);
    await page.getByRole('note').filter({ hasText: /^Archived on / }).waitFor();
    await page.goto(`${portal.base}/meters/${meterId}/settings`);
    await page.getByRole('button', { name: 'Put back in service' }).click();
    await page.getByRole('button', { name: 'Archive this meter' }).waitFor();
    expect((await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).archivedAt).toBeNull();
    const actions = await prisma.auditLog.findMany({ where: { entityId: meterId }, orderBy: { at: 'asc' }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(['meter.settings.updated', 'meter.archived', 'meter.unarchived']);
  });

  it('takes a new snapshot for the reference with the camera\'s flash set in its form, shows it in the layout editor and reads it', async () => {
    await page.goto(`${portal.base}/meters/${meterId}/settings`);
    const cameraForm = page.getByRole('form', { name: 'Camera cellar cam' });
    await cameraForm.getByLabel('Flash LED intensity (1–255, optional)').fill('120');
    await cameraForm.getByRole('button', { name: 'Save camera' }).click();
    await cameraForm.getByRole('status').waitFor();
    expect((await prisma.device.findFirstOrThrow({ where: { meterId } })).flashIntensity).toBe(120);

    await page.getByRole('button', { name: 'Take a new snapshot' }).click();
    const reference = page.getByRole('region', { name: 'Reference photo and layout' });
    // the simulated counter reads 01234.5 on 8 drums; with the 2 decimals set above: 012345.00 → shown as the first reading
    const firstReading = reference.getByText('First reading').locator('..').locator('..');
    await expect.poll(async () => (await firstReading.textContent()) ?? '', { timeout: 30_000 }).toMatch(/1\s*2\s*3\s*4\s*5/);
    await reference.getByRole('button', { name: 'Save as the new reference' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'meter-rereference.png'), fullPage: true });
    // the reference is lit like the pulled photos it will be matched with
    expect(camera.events().map(({ at: _at, ...event }) => event)).toEqual([
      { kind: 'led', intensity: 120 },
      { kind: 'capture', led: 120 },
      { kind: 'led', intensity: 0 },
    ]);

    await reference.getByRole('button', { name: 'Save as the new reference' }).click();
    await reference.getByRole('status').filter({ hasText: /^Saved/ }).waitFor({ timeout: 30_000 });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: meterId, action: 'meter.reference.replaced' } });
    expect(audit.data).toMatchObject({ after: { drums: 8 } });
  });

  it('lets an admin (in Korean) delete the meter once its name is typed, then shows the fleet without it', async () => {
    const admin = await createUser(prisma, { orgId, role: 'admin' });
    await prisma.user.update({ where: { id: admin.id }, data: { locale: 'ko' } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await addSessionCookie(context, portal.base, prisma, admin.id);
    const korean = await context.newPage();
    await korean.goto(`${portal.base}/meters/${meterId}/settings`);
    const deleteButton = korean.getByRole('button', { name: '이 계량기 삭제' });
    expect(await deleteButton.isDisabled()).toBe(true);
    await korean.getByLabel('확인을 위해 “Cellar main (new)”을(를) 입력하세요').fill('Cellar main (new)');
    await korean.screenshot({ path: path.join(artifacts, 'meter-settings-ko.png'), fullPage: true });
    await deleteButton.click();
    await korean.waitForURL(`${portal.base}/`);
    await korean.locator('[data-meter-id]').filter({ hasText: 'Attic spare' }).waitFor();
    expect(await prisma.meter.findUnique({ where: { id: meterId } })).toBeNull();
    expect(await prisma.auditLog.count({ where: { entityId: meterId, action: 'meter.deleted' } })).toBe(1);
    await context.close();
  });
});
