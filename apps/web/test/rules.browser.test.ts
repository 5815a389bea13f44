import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, waitFor, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { addSessionCookie, createUser, type TestUser } from './support/auth';
import { assertBrowserTestReady, launchChromium, startPortal, type RunningPortal } from './support/portal';

/**
 * The rules page's forms in the built portal: create (a refused config shows the server's reason and
 * stores nothing), edit and delete, each change followed by the list reloading from the server; and
 * the actuators page's, where an admin adds a valve (MQTT, password sealed) and deletes it.
 */
describe('rules, in a browser', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let portal: RunningPortal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let orgId: string;
  let admin: TestUser;

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-rules-browser-'));
    orgId = await createOrg(prisma);
    await prisma.meter.create({ data: { orgId, name: 'Block A main', digits: 5, group: 'block-a' } });
    const operator = await createUser(prisma, { orgId, role: 'operator' });
    admin = await createUser(prisma, { orgId, role: 'admin' });
    portal = await startPortal(
      {
        DATABASE_URL: db.url,
        STORAGE_DIR: storageDir,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      },
      { timeoutMs: 60_000 },
    );
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await addSessionCookie(context, portal.base, prisma, operator.id);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await portal?.stop();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  const rulesOfOrg = () => prisma.rule.findMany({ where: { orgId } });

  it('creates a rule through the form once its config is accepted, then edits and deletes it', async () => {
    await page.goto(`${portal.base}/rules`);
    await page.getByText('New rule').click();
    const form = page.getByRole('form', { name: 'New rule' });
    await form.getByLabel('Type').selectOption('threshold');
    await form.getByLabel('Applies to').selectOption({ label: 'group block-a' });

    await form.getByLabel('Config (JSON)').fill('{}');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await form.getByRole('alert').getByText('Settings: set above, below, or both.').waitFor();
    expect(await rulesOfOrg()).toEqual([]);

    await form.getByLabel('Config (JSON)').fill('{"above": 90000}');
    await form.getByRole('button', { name: 'Create rule' }).click();
    const card = page.getByRole('listitem').filter({ hasText: 'threshold · group block-a' });
    await card.getByText('{"above":90000}').waitFor();
    expect(await form.getByRole('alert').count()).toBe(0);
    const [created] = await rulesOfOrg();
    expect(created).toMatchObject({ type: 'threshold', group: 'block-a', config: { above: 90000 }, severity: 'major' });

    await card.getByText('Edit').click();
    const edit = card.getByRole('form', { name: 'Edit rule' });
    await edit.getByLabel('Severity').selectOption('critical');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    // The severity tag of the card (not the form's option) once the list is reloaded.
    await card.locator('span').filter({ hasText: /^Critical$/ }).waitFor();
    expect(await prisma.rule.findUniqueOrThrow({ where: { id: created!.id } })).toMatchObject({ severity: 'critical' });

    page.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No rules yet.').waitFor();
    await waitFor(async () => (await rulesOfOrg()).length === 0, { what: 'the rule deleted' });
  });

  it('adds an MQTT valve through the actuators form (admin) and deletes it', async () => {
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await addSessionCookie(adminContext, portal.base, prisma, admin.id);
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`${portal.base}/actuators`);
    await adminPage.getByText('Add an actuator').click();
    const form = adminPage.getByRole('form', { name: 'New actuator' });
    await form.getByLabel('Name').fill('Main valve');
    await form.getByLabel('Meter').selectOption({ label: 'Block A main' });
    await form.getByLabel('Broker URL').fill('mqtt://10.0.0.5:1883');
    await form.getByLabel('Command topic').fill('valves/#');
    await form.getByLabel('State topic').fill('valves/main/state');
    await form.getByLabel('Broker password (optional)').fill('broker-secret');
    await form.getByRole('button', { name: 'Add actuator' }).click();
    // the server's reason for the wildcard (by its code, in the page's words), and nothing stored
    await form.getByRole('alert').filter({ hasText: 'Command topic: a topic here has no wildcards' }).waitFor();
    expect(await prisma.actuator.count({ where: { orgId } })).toBe(0);

    await form.getByLabel('Command topic').fill('valves/main/set');
    await form.getByRole('button', { name: 'Add actuator' }).click();
    await adminPage.getByRole('heading', { name: 'Main valve' }).waitFor();
    const [valve] = await prisma.actuator.findMany({ where: { orgId } });
    expect(valve).toMatchObject({ name: 'Main valve', kind: 'mqtt' });
    expect(JSON.stringify(valve!.config)).not.toContain('broker-secret');

    adminPage.once('dialog', (dialog) => void dialog.accept());
    await adminPage.getByRole('button', { name: 'Delete Main valve' }).click();
    await waitFor(async () => (await prisma.actuator.count({ where: { orgId } })) === 0, { what: 'the valve deleted' });
    await adminPage.getByRole('heading', { name: 'Main valve' }).waitFor({ state: 'detached' });
    await adminContext.close();
  });
});
