import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import {
  createTestDatabase,
  startSmtpSink,
  waitFor,
  type SmtpSink,
  type TestDatabase,
} from '@metertwin/testing';
import { SESSION_COOKIE } from '../src/lib/auth';
import { RESET_PER_EMAIL } from '../src/lib/password-reset-limit';
import { createOrg } from './fixtures';
import {
  apiRequest,
  createUser,
  randomClientAddress,
  sessionCookie,
  signInRequest,
  type TestUser,
} from './support/auth';

/**
 * The portal's organization-admin routes with real Postgres and Redis, mail over SMTP to a local sink:
 * invite → mail → accept → sign in; roles; deactivation ends a session at once; password reset;
 * used and foreign links refused; non-admins get 403.
 */
let db: TestDatabase;
let prisma: PrismaClient;
let sink: SmtpSink;
let orgId: string;
let admin: TestUser;
let adminCookie: string;
let operatorCookie: string;

let invitations: typeof import('../src/app/api/organization/invitations/route');
let invitation: typeof import('../src/app/api/organization/invitations/[id]/route');
let users: typeof import('../src/app/api/organization/users/[id]/route');
let adminReset: typeof import('../src/app/api/organization/users/[id]/password-reset/route');
let accept: typeof import('../src/app/api/invitations/[token]/route');
let resetRequest: typeof import('../src/app/api/auth/password-reset/request/route');
let resetComplete: typeof import('../src/app/api/auth/password-reset/complete/route');
let signIn: typeof import('../src/app/api/auth/signin/route');
let preferences: typeof import('../src/app/api/me/preferences/route');
let language: typeof import('../src/app/api/organization/language/route');
let retention: typeof import('../src/app/api/organization/retention/route');

beforeAll(async () => {
  db = await createTestDatabase();
  sink = await startSmtpSink();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    STORAGE_DIR: '/tmp',
    SMTP_URL: sink.url,
    MAIL_FROM: 'MeterTwin <noreply@metertwin.test>',
    PORTAL_URL: 'http://portal.test',
  });
  invitations = await import('../src/app/api/organization/invitations/route');
  invitation = await import('../src/app/api/organization/invitations/[id]/route');
  users = await import('../src/app/api/organization/users/[id]/route');
  adminReset = await import('../src/app/api/organization/users/[id]/password-reset/route');
  accept = await import('../src/app/api/invitations/[token]/route');
  resetRequest = await import('../src/app/api/auth/password-reset/request/route');
  resetComplete = await import('../src/app/api/auth/password-reset/complete/route');
  signIn = await import('../src/app/api/auth/signin/route');
  preferences = await import('../src/app/api/me/preferences/route');
  language = await import('../src/app/api/organization/language/route');
  retention = await import('../src/app/api/organization/retention/route');
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  admin = await createUser(prisma, { orgId, role: 'admin', name: 'Ada Admin' });
  adminCookie = await sessionCookie(prisma, admin.id);
  operatorCookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient; __mtThrottleRedis?: { quit(): Promise<unknown> } };
  await g.__mtThrottleRedis?.quit();
  await g.__mtPrisma?.$disconnect();
  await sink?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

const invite = (cookie: string, json: unknown) =>
  invitations.POST(apiRequest('/api/organization/invitations', { cookie, method: 'POST', json }));
const changeUser = (cookie: string, id: string, json: unknown) =>
  users.PUT(apiRequest(`/api/organization/users/${id}`, { cookie, method: 'PUT', json }), {
    params: Promise.resolve({ id }),
  });
const acceptInvite = (token: string, json: unknown) =>
  accept.POST(apiRequest(`/api/invitations/${token}`, { cookie: null, method: 'POST', json }), {
    params: Promise.resolve({ token }),
  });
const completeReset = (json: unknown) =>
  resetComplete.POST(apiRequest('/api/auth/password-reset/complete', { cookie: null, method: 'POST', json }));
/** The session cookie the sign-in form's route sets, or null when it sends the browser back to the form. */
async function signInCookie(email: string, password: string): Promise<string | null> {
  const res = await signIn.POST(signInRequest({ email, password }));
  const cookie = res.headers.get('set-cookie');
  return cookie?.startsWith(`${SESSION_COOKIE}=`) ? cookie.split(';')[0]! : null;
}
const signedIn = async (cookie: string) =>
  (await preferences.GET(apiRequest('/api/me/preferences', { cookie }))).status === 200;
const linkIn = (text: string) => /http:\/\/portal\.test\/\S+/.exec(text)![0];

describe('invitations through the portal', () => {
  it('invite → Korean mail → accept → sign in, with the role invited; non-admins 403', async () => {
    expect(
      (await invite(operatorCookie, { email: 'x@example.test', role: 'viewer', locale: 'en' })).status,
    ).toBe(403);
    expect(
      (await invite(adminCookie, { email: 'not an address', role: 'viewer', locale: 'en' })).status,
    ).toBe(400);
    expect((await invite(adminCookie, { email: admin.email, role: 'viewer', locale: 'en' })).status).toBe(
      409,
    );

    const before = sink.received.length;
    const res = await invite(adminCookie, { email: 'Minji@Example.test', role: 'operator', locale: 'ko' });
    expect(res.status).toBe(201);
    const mail = await sink.waitForMail('minji@example.test', { after: before });
    expect(mail.subject).toContain('초대되었습니다');
    const link = linkIn(mail.text);
    const token = new URL(link).pathname.split('/').pop()!;
    expect(link).toBe(`http://portal.test/invite/${token}`);

    expect((await acceptInvite(token, { name: '김민지', password: 'short' })).status).toBe(400);
    const accepted = await acceptInvite(token, { name: '김민지', password: '비밀번호는 충분히 길어요' });
    expect(accepted.status).toBe(201);
    // the sign-in page that follows is in the invitation's language too
    expect(accepted.headers.get('set-cookie')).toMatch(/^mt_locale=ko;/);
    expect(await accepted.json()).toEqual({ email: 'minji@example.test' });
    const again = await acceptInvite(token, { name: 'Again', password: 'another long password' });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: 'link-invalid' });

    const cookie = await signInCookie('minji@example.test', '비밀번호는 충분히 길어요');
    expect(cookie).not.toBeNull();
    expect(await signedIn(cookie!)).toBe(true);
    expect(await prisma.user.findUniqueOrThrow({ where: { email: 'minji@example.test' } })).toMatchObject({
      role: 'operator',
      locale: 'ko',
    });

    // A pending invitation is taken back by an admin only; its link then stops working.
    const sent = sink.received.length;
    const pending = await invite(adminCookie, { email: 'later@example.test', role: 'viewer', locale: 'en' });
    const { invitationId } = (await pending.json()) as { invitationId: string };
    const pendingToken = new URL(
      linkIn((await sink.waitForMail('later@example.test', { after: sent })).text),
    ).pathname
      .split('/')
      .pop()!;
    const revoke = (cookie: string) =>
      invitation.DELETE(
        apiRequest(`/api/organization/invitations/${invitationId}`, { cookie, method: 'DELETE' }),
        { params: Promise.resolve({ id: invitationId }) },
      );
    expect((await revoke(operatorCookie)).status).toBe(403);
    expect((await revoke(adminCookie)).status).toBe(204);
    expect((await revoke(adminCookie)).status).toBe(404);
    expect(
      (await acceptInvite(pendingToken, { name: 'Later', password: 'long enough password' })).status,
    ).toBe(404);
  });
});

describe('the organization language through the portal', () => {
  const setLanguage = (cookie: string, json: unknown) =>
    language.PUT(apiRequest('/api/organization/language', { cookie, method: 'PUT', json }));

  it('is set by admins only, to a language the portal has or none, and audited', async () => {
    expect((await setLanguage(operatorCookie, { locale: 'ko' })).status).toBe(403);
    const refused = await setLanguage(adminCookie, { locale: 'fr' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'invalid-fields', issues: [{ field: 'locale', code: 'not-one-of' }] });

    expect((await setLanguage(adminCookie, { locale: 'ko' })).status).toBe(200);
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: orgId } })).defaultLocale).toBe('ko');
    expect((await setLanguage(adminCookie, { locale: null })).status).toBe(200);
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: orgId } })).defaultLocale).toBeNull();
    const audit = await prisma.auditLog.findMany({ where: { orgId, action: 'organization.default-locale.set' }, orderBy: { at: 'asc' } });
    expect(audit.map((row) => row.data)).toEqual([{ before: null, after: 'ko' }, { before: 'ko', after: null }]);
  });
});

describe('the retention periods through the portal', () => {
  const setRetention = (cookie: string, json: unknown) =>
    retention.PUT(apiRequest('/api/organization/retention', { cookie, method: 'PUT', json }));
  const stored = async () =>
    prisma.organization.findUniqueOrThrow({ where: { id: orgId }, select: { photoRetentionDays: true, readingRetentionDays: true } });

  it('are set by admins only, whole days 1–3650 or forever, photos no longer than readings, and audited', async () => {
    expect((await setRetention(operatorCookie, { photoRetentionDays: 30, readingRetentionDays: 365 })).status).toBe(403);
    expect(await stored()).toEqual({ photoRetentionDays: null, readingRetentionDays: null });

    const accepted = await setRetention(adminCookie, { photoRetentionDays: 30, readingRetentionDays: 365 });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ photoRetentionDays: 30, readingRetentionDays: 365 });
    expect(await stored()).toEqual({ photoRetentionDays: 30, readingRetentionDays: 365 });

    const refusals: [unknown, object][] = [
      [{ photoRetentionDays: 0, readingRetentionDays: 365 }, { field: 'photoRetentionDays', code: 'too-small' }],
      [{ photoRetentionDays: 30, readingRetentionDays: 3651 }, { field: 'readingRetentionDays', code: 'too-large' }],
      [{ photoRetentionDays: 1.5, readingRetentionDays: 365 }, { field: 'photoRetentionDays', code: 'wrong-type' }],
      [{ photoRetentionDays: '30', readingRetentionDays: 365 }, { field: 'photoRetentionDays', code: 'wrong-type' }],
      [{ photoRetentionDays: 30 }, { field: 'readingRetentionDays', code: 'required' }],
      // reading retention deletes the photo with its reading: photos cannot be kept longer, nor forever
      [{ photoRetentionDays: 400, readingRetentionDays: 365 }, { field: 'photoRetentionDays', code: 'photos-outlive-readings', params: { days: 365 } }],
      [{ photoRetentionDays: null, readingRetentionDays: 365 }, { field: 'photoRetentionDays', code: 'photos-outlive-readings', params: { days: 365 } }],
    ];
    for (const [body, issue] of refusals) {
      const refused = await setRetention(adminCookie, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(await refused.json()).toMatchObject({ code: 'invalid-fields', issues: [issue] });
    }
    expect(await stored()).toEqual({ photoRetentionDays: 30, readingRetentionDays: 365 });

    // the same values again write nothing; photos alone, or both forever, are fine
    expect((await setRetention(adminCookie, { photoRetentionDays: 30, readingRetentionDays: 365 })).status).toBe(200);
    expect((await setRetention(adminCookie, { photoRetentionDays: 90, readingRetentionDays: null })).status).toBe(200);
    expect(await stored()).toEqual({ photoRetentionDays: 90, readingRetentionDays: null });
    expect((await setRetention(adminCookie, { photoRetentionDays: null, readingRetentionDays: null })).status).toBe(200);
    expect(await stored()).toEqual({ photoRetentionDays: null, readingRetentionDays: null });

    const audit = await prisma.auditLog.findMany({ where: { orgId, action: 'organization.retention.set' }, orderBy: { at: 'asc' } });
    expect(audit.map((row) => [row.actorId, row.data])).toEqual([
      [admin.id, { before: { photoRetentionDays: null, readingRetentionDays: null }, after: { photoRetentionDays: 30, readingRetentionDays: 365 } }],
      [admin.id, { before: { photoRetentionDays: 30, readingRetentionDays: 365 }, after: { photoRetentionDays: 90, readingRetentionDays: null } }],
      [admin.id, { before: { photoRetentionDays: 90, readingRetentionDays: null }, after: { photoRetentionDays: null, readingRetentionDays: null } }],
    ]);
  });
});

describe('roles and deactivation through the portal', () => {
  it('changes a role, refuses the last admin, and deactivation ends a session at once', async () => {
    const colleague = await createUser(prisma, { orgId, role: 'viewer', password: 'colleague password' });
    const cookie = (await signInCookie(colleague.email, 'colleague password'))!;
    expect(await signedIn(cookie)).toBe(true);

    expect((await changeUser(operatorCookie, colleague.id, { role: 'admin' })).status).toBe(403);
    expect((await changeUser(adminCookie, colleague.id, { role: 'owner' })).status).toBe(400);
    const promoted = await changeUser(adminCookie, colleague.id, { role: 'operator' });
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ user: { role: 'operator' } });

    const lastAdmin = await changeUser(adminCookie, admin.id, { role: 'viewer' });
    expect(lastAdmin.status).toBe(409);
    expect(await lastAdmin.json()).toMatchObject({ code: 'last-admin' });
    expect((await changeUser(adminCookie, admin.id, { active: false })).status).toBe(409);

    expect((await changeUser(adminCookie, colleague.id, { active: false })).status).toBe(200);
    expect(await signedIn(cookie)).toBe(false);
    expect(await signInCookie(colleague.email, 'colleague password')).toBeNull();

    expect((await changeUser(adminCookie, colleague.id, { active: true })).status).toBe(200);
    expect(await signInCookie(colleague.email, 'colleague password')).not.toBeNull();

    // Another organization's admin does not find the user.
    const other = await sessionCookie(
      prisma,
      (await createUser(prisma, { orgId: await createOrg(prisma), role: 'admin' })).id,
    );
    expect((await changeUser(other, colleague.id, { role: 'admin' })).status).toBe(404);
  });
});

describe('password reset through the portal', () => {
  it('answers the same for unknown addresses, mails a link that works once, and ends sessions', async () => {
    const user = await createUser(prisma, { orgId, role: 'viewer', password: 'forgotten password' });
    const oldSession = await sessionCookie(prisma, user.id);

    const request = (email: string) =>
      resetRequest.POST(
        apiRequest('/api/auth/password-reset/request', {
          cookie: null,
          method: 'POST',
          json: { email },
          headers: { 'x-forwarded-for': randomClientAddress() },
        }),
      );
    const unknown = await request('nobody@example.test');
    const known = await request(user.email);
    expect([unknown.status, known.status]).toEqual([202, 202]);
    expect(await unknown.json()).toEqual(await known.json());
    const mail = await sink.waitForMail(user.email);
    expect(mail.subject).toBe('Reset your MeterTwin password');
    const token = new URL(linkIn(mail.text)).searchParams.get('token')!;

    expect((await completeReset({ token, password: 'too short' })).status).toBe(400);
    expect((await completeReset({ token, password: 'a brand new password' })).status).toBe(200);
    expect(await signedIn(oldSession)).toBe(false);
    expect(await signInCookie(user.email, 'forgotten password')).toBeNull();
    expect(await signInCookie(user.email, 'a brand new password')).not.toBeNull();
    expect((await completeReset({ token, password: 'yet another password' })).status).toBe(404);

    // An admin sends a link from the users page; an expired one is refused.
    const sent = sink.received.length;
    const byAdmin = await adminReset.POST(
      apiRequest(`/api/organization/users/${user.id}/password-reset`, {
        cookie: adminCookie,
        method: 'POST',
      }),
      { params: Promise.resolve({ id: user.id }) },
    );
    expect(byAdmin.status).toBe(202);
    const adminLink = linkIn((await sink.waitForMail(user.email, { after: sent })).text);
    await prisma.passwordReset.updateMany({
      where: { userId: user.id, usedAt: null },
      data: { expiresAt: new Date() },
    });
    const expired = await completeReset({
      token: new URL(adminLink).searchParams.get('token'),
      password: 'a third password',
    });
    expect(expired.status).toBe(404);

    // Nothing was sent to the unknown address; the audit log has each step.
    await waitFor(
      async () => (await prisma.auditLog.count({ where: { action: 'user.password-reset' } })) === 1,
    );
    expect(sink.received.some((m) => m.envelopeTo.includes('nobody@example.test'))).toBe(false);
    const actions = (
      await prisma.auditLog.findMany({ where: { entityId: user.id }, orderBy: { at: 'asc' } })
    ).map((a) => a.action);
    expect(actions).toEqual([
      'user.password-reset-requested',
      'user.password-reset',
      'user.password-reset-requested',
    ]);

    // "Forgot password" sends at most RESET_PER_EMAIL links an hour to one address, whoever asks.
    const flooded = await createUser(prisma, { orgId, role: 'viewer' });
    const sentBefore = sink.received.length;
    for (let i = 0; i < RESET_PER_EMAIL + 2; i++) expect((await request(flooded.email)).status).toBe(202);
    const mailsTo = () => sink.received.slice(sentBefore).filter((m) => m.envelopeTo.includes(flooded.email));
    await waitFor(async () => mailsTo().length === RESET_PER_EMAIL);
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo()).toHaveLength(RESET_PER_EMAIL);
    expect(await prisma.passwordReset.count({ where: { userId: flooded.id } })).toBe(RESET_PER_EMAIL);
  });
});
