import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, startSmtpSink, type SmtpSink, type TestDatabase } from '@metertwin/testing';
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
 * Organization admin in Korean, in Debian's chromium against the built portal, real Postgres and Redis
 * and a local SMTP sink: an admin invites a colleague from Settings → Users, the colleague opens the
 * mailed link, chooses a name and password and signs in through the form; the admin sees them, and
 * deactivating them signs their open browser out; the audit log shows and filters what happened; a
 * webhook and a Slack channel are added from the settings page (the secret shown once, the Slack URL never);
 * retention periods that make no sense are refused in place, sensible ones saved.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The links in mails point here; the test opens their path on the running portal. */
const PORTAL_URL = 'https://metertwin.example.test';

describe('organization admin in Korean', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let sink: SmtpSink;
  let storageDir: string;
  let portal: RunningPortal;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    sink = await startSmtpSink();
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-org-admin-'));
    await mkdir(artifacts, { recursive: true });
    const orgId = await createOrg(prisma);
    await prisma.organization.update({
      where: { id: orgId },
      data: { name: '한빛 아파트', deviceNetworks: ['10.20.0.0/16'] },
    });
    admin = await createUser(prisma, { orgId, role: 'admin', name: '이관리' });
    portal = await startPortal({
      DATABASE_URL: db.url,
      STORAGE_DIR: storageDir,
      REDIS_URL,
      SMTP_URL: sink.url,
      MAIL_FROM: 'MeterTwin <noreply@metertwin.example.test>',
      PORTAL_URL,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await sink?.close();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it('an admin invites a colleague, who accepts from the mailed link and signs in', async () => {
    const adminContext = await browser.newContext({
      locale: 'ko-KR',
      viewport: { width: 1280, height: 900 },
    });
    await addSessionCookie(adminContext, portal.base, prisma, admin.id);
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`${portal.base}/settings`);
    await adminPage.getByRole('link', { name: '사용자' }).click();
    await adminPage.waitForURL('**/settings/users');
    await adminPage.getByLabel('이메일', { exact: true }).fill('minji@example.test');
    await adminPage.getByLabel('역할', { exact: true }).selectOption({ label: '운영자' });
    // The e-mail's language follows the admin's portal language unless chosen.
    expect(await adminPage.getByLabel('이메일 언어').inputValue()).toBe('ko');
    await adminPage.getByRole('button', { name: '초대 보내기' }).click();
    await expect
      .poll(() => adminPage.getByRole('status').textContent())
      .toContain('minji@example.test(으)로 초대를 보냈습니다');
    await adminPage.getByRole('cell', { name: 'minji@example.test', exact: true }).waitFor();
    await adminPage.screenshot({ path: path.join(artifacts, 'org-admin-invited.png'), fullPage: true });

    const mail = await sink.waitForMail('minji@example.test');
    expect(mail.subject).toBe('한빛 아파트의 MeterTwin에 초대되었습니다');
    expect(mail.text).toContain('이관리님이 한빛 아파트의 MeterTwin 포털에 운영자(으)로 초대했습니다.');
    const link = new URL(/https:\/\/\S+/.exec(mail.text)![0]);
    expect(link.origin).toBe(PORTAL_URL);

    const colleagueContext = await browser.newContext({
      locale: 'ko-KR',
      viewport: { width: 800, height: 900 },
    });
    const page = await colleagueContext.newPage();
    await page.goto(`${portal.base}${link.pathname}`);
    await page.getByRole('heading', { name: '한빛 아파트에 참여하기' }).waitFor();
    expect(await page.locator('main').innerText()).toContain(
      'minji@example.test 주소로 운영자 역할에 초대되었습니다',
    );
    await page.getByLabel('이름').fill('김민지');
    await page.getByLabel('비밀번호').fill('안전한 비밀번호 2026');
    await page.screenshot({ path: path.join(artifacts, 'org-admin-accept.png'), fullPage: true });
    await page.getByRole('button', { name: '계정 만들기' }).click();
    await page.waitForURL('**/signin?notice=invited');
    await page.getByText('계정이 준비되었습니다').waitFor();
    await page.getByLabel('이메일').fill('minji@example.test');
    await page.getByLabel('비밀번호').fill('안전한 비밀번호 2026');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.screenshot({ path: path.join(artifacts, 'org-admin-signed-in.png'), fullPage: true });

    // The link worked once.
    await page.goto(`${portal.base}${link.pathname}`);
    await page.getByRole('heading', { name: '유효하지 않은 초대' }).waitFor();

    // An operator does not see the users page.
    const forbidden = await page.goto(`${portal.base}/settings/users`);
    expect(forbidden?.status()).toBe(404);

    // The admin sees the colleague signed in, and deactivating them signs their browser out at once.
    await adminPage.reload();
    const row = adminPage.getByRole('row', { name: /김민지/ });
    expect(await row.getByLabel('김민지의 역할').inputValue()).toBe('operator');
    expect(await row.getByRole('cell').nth(4).innerText()).not.toBe('없음');
    await row.getByRole('button', { name: '김민지 비활성화' }).click();
    await row.getByText('비활성', { exact: true }).waitFor();
    await adminPage.screenshot({ path: path.join(artifacts, 'org-admin-deactivated.png'), fullPage: true });
    await page.goto(`${portal.base}/`);
    await page.waitForURL('**/signin**');

    // The audit log has the invitation, the acceptance and the deactivation by their Korean names
    // (each with its code), and filters by action.
    await adminPage.goto(`${portal.base}/settings/audit`);
    const log = await adminPage.locator('table').innerText();
    for (const [name, action] of [['사용자 초대', 'user.invited'], ['초대 수락', 'user.invitation-accepted'], ['사용자 비활성화', 'user.deactivated']])
      expect(log).toContain(`${name}\n${action}`);
    expect(await adminPage.getByLabel('작업', { exact: true }).locator('option', { hasText: '초대 수락' }).getAttribute('value')).toBe('user.invitation-accepted');
    await adminPage.getByLabel('작업', { exact: true }).selectOption('user.invitation-accepted');
    await adminPage.getByRole('button', { name: '필터 적용' }).click();
    await adminPage.waitForURL('**/settings/audit?**action=user.invitation-accepted**');
    const rows = adminPage.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('김민지');
    await adminPage.screenshot({ path: path.join(artifacts, 'org-admin-audit.png'), fullPage: true });

    // Webhooks from the settings page, through the same code as notify's API.
    await adminPage.goto(`${portal.base}/settings`);
    await adminPage.getByLabel('URL', { exact: true }).fill('http://10.20.1.5/hooks');
    await adminPage.getByRole('button', { name: '웹훅 추가' }).click();
    const secret = await adminPage.getByTestId('webhook-secret').innerText();
    expect(secret).toMatch(/^whsec_/);
    await adminPage.getByRole('cell', { name: 'http://10.20.1.5/hooks', exact: true }).waitFor();
    expect(
      await prisma.webhook.count({
        where: { url: 'http://10.20.1.5/hooks', events: { has: 'alarm.raised' } },
      }),
    ).toBe(1);

    // A Slack channel the same way; its URL is not shown again.
    await adminPage.getByLabel('채널', { exact: true }).fill('#운영');
    await adminPage.getByLabel('수신 웹훅 URL').fill('https://10.20.1.6/services/T1/B1/very-secret');
    await adminPage.getByLabel('최소 심각도').selectOption('critical');
    await adminPage.getByRole('button', { name: '채널 추가' }).click();
    await adminPage.getByRole('cell', { name: '#운영', exact: true }).waitFor();
    expect(await adminPage.locator('main').innerText()).not.toContain('very-secret');
    expect(await prisma.slackChannel.count({ where: { name: '#운영', minSeverity: 'critical' } })).toBe(1);
    await adminPage.screenshot({ path: path.join(artifacts, 'org-admin-webhooks.png'), fullPage: true });

    // Home Assistant: the admin's switch, kept after the page reloads with the server's answer.
    const haSwitch = adminPage.getByRole('switch', { name: '판독값을 Home Assistant에 발행' });
    expect(await haSwitch.isChecked()).toBe(false);
    await haSwitch.check();
    await expect.poll(async () => (await prisma.organization.findFirstOrThrow({ where: { name: '한빛 아파트' } })).homeAssistant).toBe(true);
    await adminPage.reload();
    expect(await adminPage.getByRole('switch', { name: '판독값을 Home Assistant에 발행' }).isChecked()).toBe(true);
    expect(await prisma.auditLog.count({ where: { action: 'organization.home-assistant.set' } })).toBe(1);

    // Retention: photos kept longer than readings are refused in place with the reason, nothing saved;
    // a sensible pair is saved and shown again after a reload.
    const photoDays = adminPage.getByLabel('사진 삭제 기준(일)');
    const readingDays = adminPage.getByLabel('검침값 삭제 기준(일)');
    expect(await photoDays.inputValue()).toBe('');
    await photoDays.fill('400');
    await readingDays.fill('365');
    await adminPage.getByRole('button', { name: '보관 기간 저장' }).click();
    await expect
      .poll(() => adminPage.getByRole('alert').filter({ hasText: '사진 보관 기간' }).textContent())
      .toBe('사진 보관 기간: 사진은 검침값과 함께 삭제되므로 검침값 보관 기간인 365일 이하로만 보관할 수 있습니다.');
    const unchanged = await prisma.organization.findFirstOrThrow({ where: { name: '한빛 아파트' } });
    expect([unchanged.photoRetentionDays, unchanged.readingRetentionDays]).toEqual([null, null]);
    await photoDays.fill('90');
    await adminPage.getByRole('button', { name: '보관 기간 저장' }).click();
    await expect
      .poll(async () => {
        const org = await prisma.organization.findFirstOrThrow({ where: { name: '한빛 아파트' } });
        return [org.photoRetentionDays, org.readingRetentionDays];
      })
      .toEqual([90, 365]);
    await adminPage.screenshot({ path: path.join(artifacts, 'org-admin-retention.png'), fullPage: true });
    await adminPage.reload();
    expect([await photoDays.inputValue(), await readingDays.inputValue()]).toEqual(['90', '365']);
    expect(await prisma.auditLog.count({ where: { action: 'organization.retention.set' } })).toBe(1);

    await adminContext.close();
    await colleagueContext.close();
  });
});
