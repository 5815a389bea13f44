import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { waitFor } from '@metertwin/testing';
import { startPlatform, type Platform } from '../../../test/e2e/platform';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import { artifacts, assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';

/**
 * The running platform (ingest, preprocess, recognize, notify in this process), the built portal
 * under `next start`, the simulated camera and Debian's chromium: the fleet, a twin updating live
 * from the camera's frames, onboarding a meter from the camera, and organization scoping.
 */
describe('fleet, live twin and onboarding in a browser', () => {
  let platform: Platform;
  let camera: CameraSimulator;
  let portal: RunningPortal;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  let orgId: string;
  let operator: TestUser;
  let meterId: string;
  let foreignMeterId: string;

  beforeAll(async () => {
    assertBrowserTestReady();
    await mkdir(artifacts, { recursive: true });
    // 10 litres a second: every frame shows a new value on the litre drum.
    camera = await startCameraSimulator({ start: 512.25, rate: 600, seed: 11 });
    // The deployment names the simulated camera, as scripts/up.sh does for the demo's.
    const allowCamera = { OUTBOUND_ALLOWED_HOSTS: new URL(camera.url).host };
    platform = await startPlatform(allowCamera);
    const { prisma } = platform;
    orgId = (await prisma.organization.create({ data: { name: 'Twin Co', slug: `twin-${Date.now()}` } })).id;
    operator = await createUser(prisma, { orgId, role: 'operator', name: 'Olga Operator' });
    const meter = await prisma.meter.create({
      data: {
        orgId,
        name: 'Courtyard main',
        location: 'Courtyard',
        group: 'North',
        digits: 8,
        decimals: 3,
        layout: camera.layout,
        timeZone: 'Europe/Berlin',
        devices: { create: { name: 'sim camera', snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 3 } },
      },
    });
    meterId = meter.id;
    await prisma.meter.create({ data: { orgId, name: 'Attic spare', location: 'Attic', digits: 5 } });
    const otherOrg = await prisma.organization.create({
      data: { name: 'Other Co', slug: `other-${Date.now()}` },
    });
    foreignMeterId = (
      await prisma.meter.create({ data: { orgId: otherOrg.id, name: 'Not yours', digits: 5 } })
    ).id;

    portal = await startPortal(
      {
        DATABASE_URL: platform.env.DATABASE_URL,
        STORAGE_DIR: platform.env.STORAGE_DIR,
        REDIS_URL: platform.env.REDIS_URL,
        ...allowCamera,
      },
      { timeoutMs: 60_000 },
    );
    base = portal.base;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await addSessionCookie(context, base, platform.prisma, operator.id);
    // The first reading from the camera, through the whole pipeline.
    await waitFor(() => platform.prisma.reading.findFirst({ where: { meterId } }), {
      timeoutMs: 60_000,
      what: 'a first reading from the simulated camera',
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await camera?.close();
    await platform?.stop();
  });

  it('shows the fleet as tiles and filters it through the URL', async () => {
    const page = await context.newPage();
    await page.goto(base);
    const tile = page.locator('[data-meter-id]').filter({ hasText: 'Courtyard main' });
    await tile.getByRole('img', { name: /m³$/ }).first().waitFor();
    await tile.getByText('Camera online').waitFor();
    await tile.getByRole('img', { name: /Consumption per hour over the last 24 hours/ }).waitFor();
    expect(await page.locator('[data-meter-id]').count()).toBe(2);
    await page.screenshot({ path: path.join(artifacts, 'fleet-tiles.png'), fullPage: true });

    await page.getByRole('combobox', { name: /^Status/ }).selectOption('no-camera');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/status=no-camera/);
    await page.locator('[data-meter-id]').filter({ hasText: 'Attic spare' }).waitFor();
    expect(await page.locator('[data-meter-id]').count()).toBe(1);
    await page.close();
  });

  it('rolls the twin counter to each new frame of the camera without reloading', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/meters/${meterId}`);
    const counter = page.getByTestId('current-reading').locator('[data-value]');
    await counter.waitFor();
    const first = await counter.getAttribute('data-value');
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    // The camera keeps running: a later frame's reading arrives over the event stream.
    await page.waitForFunction(
      (v) =>
        document.querySelector('[data-testid="current-reading"] [data-value]')?.getAttribute('data-value') !==
        v,
      first,
      { timeout: 30_000 },
    );
    const next = await counter.getAttribute('data-value');
    expect(Number(next)).toBeGreaterThan(Number(first));
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    // The drums are strips moved by a transform (the animation), one per digit.
    expect(await counter.locator('[data-drum-strip]').count()).toBe(8);
    // The camera's layout marks the window as a quad: the overlay draws it and each drum's cell.
    const overlay = page.getByTestId('digit-overlay');
    expect(await overlay.locator('polygon[data-testid="window-box"]').count()).toBe(1);
    expect(await overlay.locator('[data-testid="digit-box"] polygon').count()).toBe(8);
    await page.waitForTimeout(900);
    await page.screenshot({ path: path.join(artifacts, 'twin-live.png'), fullPage: true });
    await page.close();
  });

  it("answers 404 for another organization's meter, page and API", async () => {
    const page = await context.newPage();
    const res = await page.goto(`${base}/meters/${foreignMeterId}`);
    expect(res?.status()).toBe(404);
    const api = await page.request.get(`${base}/api/meters/${foreignMeterId}/history?range=day`);
    expect(api.status()).toBe(404);
    const csv = await page.request.get(`${base}/api/meters/${foreignMeterId}/readings.csv`);
    expect(csv.status()).toBe(404);
    await page.close();
  });

  it('shows a viewer no way to add a meter', async () => {
    const viewer = await createUser(platform.prisma, { orgId, role: 'viewer' });
    const viewerContext = await browser.newContext();
    await addSessionCookie(viewerContext, base, platform.prisma, viewer.id);
    const page = await viewerContext.newPage();
    await page.goto(base);
    await page.locator('[data-meter-id]').first().waitFor();
    expect(await page.getByRole('link', { name: 'Add a meter' }).count()).toBe(0);
    expect((await page.goto(`${base}/onboard`))?.status()).toBe(404);
    await viewerContext.close();
  });

  it('onboards a meter from the simulated camera and reads it before saving', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/onboard`);
    await page.getByLabel('Snapshot URL', { exact: true }).fill(`${camera.url}/capture`);
    await page.getByLabel('Pull every (seconds)', { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page
      .getByTestId('suggestion')
      .getByText(/Suggested from the photo/)
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-box^="digit-"]').count()).toBe(8);

    // Keyboard: focus the first digit box and move it right by one step, then back.
    const box = page.locator('[data-box="digit-0"]');
    const before = await box.getAttribute('x');
    await box.focus();
    await page.keyboard.press('ArrowRight');
    expect(Number(await box.getAttribute('x'))).toBeGreaterThan(Number(before));
    await page.keyboard.press('ArrowLeft');
    // Pointer: drag the window box a little and back.
    const win = page.locator('[data-box="window"]');
    const wx = Number(await win.getAttribute('x'));
    const r = (await win.boundingBox())!;
    await page.mouse.move(r.x + 5, r.y + 5);
    await page.mouse.down();
    await page.mouse.move(r.x + 25, r.y + 5, { steps: 4 });
    await page.mouse.up();
    expect(Number(await win.getAttribute('x'))).toBeGreaterThan(wx);

    await page.getByLabel('Name', { exact: true }).fill('Onboarded from the camera');
    await page.getByLabel('Location', { exact: true }).fill('Lab');
    await page.getByLabel('Time zone', { exact: true }).fill('Europe/Vienna');
    await page.getByRole('button', { name: 'Read this photo' }).click();
    const first = page.getByTestId('first-reading');
    await first.getByRole('img', { name: /^\d{5}\.\d{3} m³$/ }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'onboarding.png'), fullPage: true });

    await page.getByRole('button', { name: 'Save meter' }).click();
    await page.getByRole('heading', { name: 'Onboarded from the camera is saved' }).waitFor();
    const saved = await platform.prisma.meter.findFirstOrThrow({
      where: { orgId, name: 'Onboarded from the camera' },
      include: { devices: true },
    });
    expect(saved).toMatchObject({ location: 'Lab', timeZone: 'Europe/Vienna', digits: 8, decimals: 3 });
    expect(saved.devices[0]).toMatchObject({ snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 30 });
    await page.getByRole('link', { name: 'Open the meter' }).click();
    await page.waitForURL(`${base}/meters/${saved.id}`);
    await page.close();
  });

  it('onboards a counter marked by its four corners and reads it before saving', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/onboard`);
    await page.getByLabel('Snapshot URL', { exact: true }).fill(`${camera.url}/capture`);
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page.getByTestId('suggestion').getByText(/Suggested from the photo/).waitFor({ timeout: 30_000 });
    await page.getByLabel(/four corners/).check();
    expect(await page.locator('[data-box^="corner-"]').count()).toBe(4);
    expect(await page.locator('[data-box^="digit-"]').count()).toBe(0);

    // Keyboard: the top-left corner moves right by one step, then back.
    const corner = page.locator('[data-box="corner-0"]');
    const before = Number(await corner.getAttribute('cx'));
    await corner.focus();
    await page.keyboard.press('ArrowRight');
    expect(Number(await corner.getAttribute('cx'))).toBeGreaterThan(before);
    await page.keyboard.press('ArrowLeft');
    // Pointer: the bottom-right corner dragged a little down.
    const br = page.locator('[data-box="corner-2"]');
    const cy = Number(await br.getAttribute('cy'));
    const r = (await br.boundingBox())!;
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2 + 3, { steps: 3 });
    await page.mouse.up();
    expect(Number(await br.getAttribute('cy'))).toBeGreaterThan(cy);

    await page.getByLabel('Name', { exact: true }).fill('Marked by its corners');
    await page.getByRole('button', { name: 'Read this photo' }).click();
    await page.getByTestId('first-reading').getByRole('img', { name: /^\d{5}\.\d{3} m³$/ }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'onboarding-corners.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save meter' }).click();
    await page.getByRole('heading', { name: 'Marked by its corners is saved' }).waitFor();
    const saved = await platform.prisma.meter.findFirstOrThrow({ where: { orgId, name: 'Marked by its corners' } });
    const layout = saved.layout as { windowQuad?: number[][]; digits: number[][] };
    expect(layout.windowQuad).toHaveLength(4);
    expect(layout.digits).toHaveLength(8);
    await page.close();
  });
});
