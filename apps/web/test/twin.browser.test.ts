import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { waitFor } from '@metertwin/testing';
import { startPlatform, type Platform } from '../../../test/e2e/platform';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import { artifacts, assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';

const TURNED_METER = { start: 1234.5678, rate: 0, digits: 5, decimals: 0, pointers: 4, seed: 5 };

/**
 * The running platform (ingest, preprocess, recognize, notify in this process), the built portal
 * under `next start`, the simulated camera and Debian's chromium: the fleet, a twin updating live
 * from the camera's frames, onboarding a meter from the camera, and organization scoping.
 */
describe('fleet, live twin and onboarding in a browser', () => {
  let platform: Platform;
  let camera: CameraSimulator;
  let turnedCamera: CameraSimulator;
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
    // COMPOSED: a still meter with 5 drums and 4 pointer dials, the camera turned 35° and tilted.
    turnedCamera = await startCameraSimulator({
      ...TURNED_METER,
      mount: { rotationDeg: 35, shift: [0, 0], tilt: [0.08, 0.04] },
    });
    // The deployment names the simulated cameras, as scripts/up.sh does for the demo's.
    const allowCamera = { OUTBOUND_ALLOWED_HOSTS: [camera, turnedCamera].map((c) => new URL(c.url).host).join(',') };
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
    await turnedCamera?.close();
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

  it("lets an operator set the meter's value from its twin, and shows the server's refusal of a value the counter cannot show", async () => {
    const spare = await platform.prisma.meter.findFirstOrThrow({ where: { orgId, name: 'Attic spare' } });
    const page = await context.newPage();
    await page.goto(`${base}/meters/${spare.id}`);
    await page.getByText("Set the meter's value").click();
    await page.getByLabel('Value on the counter').fill('123456');
    await page.getByLabel('Reason').fill('meter replaced');
    await page.getByRole('button', { name: 'Save' }).click();
    // Inside the form: Next's route announcer is an (empty) alert too.
    const form = page.locator('details', { hasText: "Set the meter's value" });
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('The counter has 5 drums before the decimal point.');
    await page.getByLabel('Value on the counter').fill('01234');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Recorded: photos from now on are judged from 01234.');
    const anchors = await platform.prisma.meterAnchor.findMany({ where: { meterId: spare.id } });
    expect(anchors.map((a) => [Number(a.value), a.reason])).toEqual([[1234, 'meter replaced']]);
    await form.screenshot({ path: path.join(artifacts, 'set-meter-value.png') });
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
    await page.goto(`${base}/meters/${meterId}`);
    expect(await page.getByText("Set the meter's value").count()).toBe(0);
    expect((await page.goto(`${base}/onboard`))?.status()).toBe(404);
    await viewerContext.close();
  });

  it('onboards a meter from the simulated camera and reads it before saving', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/onboard`);
    await page.getByLabel('Snapshot URL', { exact: true }).fill(`${camera.url}/capture`);
    await page.getByLabel('Pull every (seconds)', { exact: true }).fill('30');
    await page.getByLabel('Flash LED intensity (ESP32-CAM, 1–255, optional)', { exact: true }).fill('60');
    const eventsBefore = camera.events().length;
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page
      .getByTestId('suggestion')
      .getByText(/Suggested from the photo/)
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-box^="digit-"]').count()).toBe(8);
    // the first snapshot is lit as the pulls will be (the simulator's log: LED on, the photo at 60)
    expect(camera.events().slice(eventsBefore)).toContainEqual(expect.objectContaining({ kind: 'capture', led: 60 }));

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
    expect(saved.devices[0]).toMatchObject({ snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 30, flashIntensity: 60 });
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

  it('onboards a counter turned 35° by clicking its four corners and placing its dials; the platform and the command line read it right', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/onboard`);
    await page.getByLabel('Snapshot URL', { exact: true }).fill(`${turnedCamera.url}/capture`);
    await page.getByLabel('Pull every (seconds)', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    // the turned window is offered as its four corners, with its confidence
    await page
      .getByTestId('suggestion')
      .getByText(/confidence \d+ %\): 5 digits, the counter turned 3\d°: its four corners are offered/)
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-box^="corner-"]').count()).toBe(4);
    await page.getByTestId('rectified-strip').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'onboard-quad-suggested.png'), fullPage: true });

    // Where a photo pixel is in the viewport (the overlay is drawn over the whole photo, scrolled into view).
    const { reference, windowQuad, dials } = turnedCamera.layout;
    const overlay = page.getByRole('group', { name: /^Counter layout/ });
    await overlay.scrollIntoViewIfNeeded();
    const photo = (await overlay.boundingBox())!;
    const at = ([x, y]: readonly number[]) => [
      photo.x + (x! * photo.width) / reference.width,
      photo.y + (y! * photo.height) / reference.height,
    ] as const;

    // The installer marks the window again: four clicks, in the order the digits read.
    await page.getByRole('button', { name: 'Click the four corners' }).click();
    for (const [i, corner] of windowQuad!.entries()) {
      await page.getByTestId('placing-hint').getByText(`(${i + 1} of 4)`).waitFor();
      await page.mouse.click(...at(corner));
    }
    const corners = await page.locator('[data-box^="corner-"]').evaluateAll((els) =>
      els.map((e) => [Number(e.getAttribute('cx')), Number(e.getAttribute('cy'))]),
    );
    corners.forEach(([x, y], i) => expect(Math.hypot(x! - windowQuad![i]![0], y! - windowQuad![i]![1]), `corner ${i}`).toBeLessThan(2));

    // Each dial: click its centre, drag out to its scale ring.
    for (const [cx, cy, r] of dials!) {
      await page.getByRole('button', { name: 'Add a dial' }).click();
      await page.mouse.move(...at([cx, cy]));
      await page.mouse.down();
      await page.mouse.move(...at([cx + r, cy]), { steps: 4 });
      await page.mouse.up();
    }
    expect(await page.locator('[data-box^="dial-"][role="button"]').count()).toBe(4);
    // Keyboard: the first dial moves right and back, grows and shrinks back; a dial added from the
    // keyboard is focused and removed with Delete.
    const dial = page.locator('[data-box="dial-0"]');
    const [cx0, r0] = [Number(await dial.getAttribute('cx')), Number(await dial.getAttribute('r'))];
    await dial.focus();
    await page.keyboard.press('ArrowRight');
    expect(Number(await dial.getAttribute('cx'))).toBeGreaterThan(cx0);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Shift+ArrowUp');
    expect(Number(await dial.getAttribute('r'))).toBeGreaterThan(r0);
    await page.keyboard.press('Shift+ArrowDown');
    expect(Number(await dial.getAttribute('r'))).toBeCloseTo(r0, 3);
    await page.getByRole('button', { name: 'Add a dial' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-box'))).toBe('dial-4');
    await page.keyboard.press('Delete');
    expect(await page.locator('[data-box^="dial-"][role="button"]').count()).toBe(4);

    await page.getByLabel('Decimals (red drums)', { exact: true }).fill('0');
    // the live preview: the rectified strip, the value with the dials as decimals, each dial's position
    const first = page.getByTestId('first-reading');
    await first.getByRole('img', { name: '01234.5678 m³' }).waitFor({ timeout: 30_000 });
    expect(await first.getByRole('list', { name: 'Dials' }).getByRole('listitem').count()).toBe(4);
    const strip = page.getByRole('img', { name: /rectified to a level strip, cut into 5 drums/ });
    expect(await strip.evaluate((img: HTMLImageElement) => img.naturalWidth > 2.5 * img.naturalHeight)).toBe(true);
    await page.screenshot({ path: path.join(artifacts, 'onboard-quad.png'), fullPage: true });

    // (after the full-page screenshot: focusing a field first settles the page's scroll position)
    await page.getByLabel('Name', { exact: true }).fill('Turned with dials');
    await page.getByRole('button', { name: 'Save meter' }).click();
    await page.getByRole('heading', { name: 'Turned with dials is saved' }).waitFor();
    const saved = await platform.prisma.meter.findFirstOrThrow({ where: { orgId, name: 'Turned with dials' } });
    const layout = saved.layout as { windowQuad: number[][]; dials: number[][]; pointers: unknown[] };
    expect(layout.dials).toHaveLength(4);
    layout.dials.forEach(([x, y, r], i) => {
      const [tx, ty, tr] = dials![i]!;
      expect(Math.hypot(x! - tx, y! - ty), `dial ${i} centre`).toBeLessThan(2);
      expect(Math.abs(r! - tr), `dial ${i} radius`).toBeLessThan(2);
    });
    expect(layout.pointers).toHaveLength(4);
    expect(saved).toMatchObject({ digits: 5, decimals: 0 });
    // From then on the services pull the camera and read it, dials included.
    const reading = await waitFor(
      () => platform.prisma.reading.findFirst({ where: { meterId: saved.id }, orderBy: { takenAt: 'asc' } }),
      { timeoutMs: 60_000, what: "a reading of the onboarded turned meter" },
    );
    // (a dial read less surely than the review threshold sends it to review, with the value right)
    expect(reading.value).toBe('01234.5678');
    expect(['accepted', 'needs_review']).toContain(reading.status);

    // So does the command line: a later photo of the camera, read with the saved layout as meter file.
    const dir = await mkdtemp(path.join(tmpdir(), 'onboard-quad-'));
    try {
      await writeFile(path.join(dir, 'meter.json'), JSON.stringify({ ...layout, decimals: 0 }));
      const photo = await fetch(`${turnedCamera.url}/capture`);
      await writeFile(path.join(dir, 'later.jpg'), Buffer.from(await photo.arrayBuffer()));
      const cli = path.join(process.cwd(), 'apps/cli/src/main.ts');
      const { stdout } = await promisify(execFile)(path.join(process.cwd(), 'node_modules/.bin/tsx'), [
        '--conditions=source', cli, 'read', path.join(dir, 'later.jpg'), '--meter', path.join(dir, 'meter.json'),
      ]);
      const read = JSON.parse(stdout) as { value: string; dials: unknown[] };
      expect(read.value).toBe('01234.5678');
      expect(read.dials).toHaveLength(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await page.close();
  }, 150_000);
});
