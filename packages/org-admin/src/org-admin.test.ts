import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, hashPassword, verifyPassword, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, startSmtpSink, type SmtpSink, type TestDatabase } from '@metertwin/testing';
import {
  acceptInvitation,
  changeUserRole,
  createMailer,
  findInvitation,
  INVITATION_TTL_MS,
  inviteUser,
  isPasswordResetUsable,
  MailDeliveryError,
  OrgAdminError,
  PASSWORD_RESET_TTL_MS,
  requestPasswordReset,
  resetPassword,
  organizationLanguage,
  revokeInvitation,
  setOrganizationLanguage,
  setUserActive,
  type Inviter,
  type OrgAdminMail,
} from './index.js';

/**
 * Organization membership against real Postgres, with mail sent over SMTP (nodemailer) to a local
 * SMTP sink and the links followed from the received text.
 */
let db: TestDatabase;
let prisma: PrismaClient;
let sink: SmtpSink;
let ctx: OrgAdminMail;
let orgId: string;
let admin: Inviter;

const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)![0];
const tokenOf = (link: string) =>
  new URL(link).searchParams.get('token') ?? new URL(link).pathname.split('/').pop()!;
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => (error instanceof OrgAdminError ? error.code : error),
  );

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  sink = await startSmtpSink();
  ctx = {
    prisma,
    mailer: createMailer({ SMTP_URL: sink.url, MAIL_FROM: 'MeterTwin <noreply@metertwin.test>' }),
    portalUrl: 'https://portal.example.test',
  };
  orgId = (await prisma.organization.create({ data: { name: '한빛 아파트', slug: `org-${Date.now()}` } })).id;
  const user = await prisma.user.create({
    data: {
      orgId,
      email: 'ada@example.test',
      name: 'Ada Admin',
      role: 'admin',
      passwordHash: await hashPassword('x'.repeat(12)),
    },
  });
  admin = { orgId, type: 'user', id: user.id, name: user.name };
});

afterAll(async () => {
  await sink?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

describe('invitations', () => {
  it('e-mails a Korean invitation whose link creates the user once, with the role invited', async () => {
    const before = sink.received.length;
    await inviteUser(ctx, admin, { email: 'minji@example.test', role: 'operator', locale: 'ko' });
    const mail = await sink.waitForMail('minji@example.test', { after: before });
    expect(mail.subject).toBe('한빛 아파트의 MeterTwin에 초대되었습니다');
    expect(mail.text).toContain('Ada Admin님이 한빛 아파트의 MeterTwin 포털에 운영자(으)로 초대했습니다.');
    expect(mail.from).toContain('noreply@metertwin.test');
    const link = linkIn(mail.text);
    expect(link).toMatch(/^https:\/\/portal\.example\.test\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(link);

    // Only the hash is stored.
    const stored = await prisma.invitation.findFirstOrThrow({ where: { email: 'minji@example.test' } });
    expect(stored.tokenHash).not.toContain(token);
    expect(await findInvitation(prisma, token)).toEqual({
      email: 'minji@example.test',
      orgName: '한빛 아파트',
      role: 'operator',
      locale: 'ko',
    });

    const { userId } = await acceptInvitation(prisma, token, {
      name: '김민지',
      password: 'correct horse battery',
    });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user).toMatchObject({
      orgId,
      email: 'minji@example.test',
      name: '김민지',
      role: 'operator',
      locale: 'ko',
    });
    expect(await verifyPassword('correct horse battery', user.passwordHash)).toBe(true);

    // The link works once.
    expect(await findInvitation(prisma, token)).toBeNull();
    expect(await refusal(acceptInvitation(prisma, token, { name: 'x', password: 'another password' }))).toBe(
      'link-invalid',
    );
    // The address now has an account: a second invitation is refused.
    expect(
      await refusal(inviteUser(ctx, admin, { email: 'MINJI@example.test', role: 'viewer', locale: 'en' })),
    ).toBe('already-member');

    const audit = await prisma.auditLog.findMany({ where: { orgId }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['user.invited', admin.id],
      ['user.invitation-accepted', userId],
    ]);
  });

  it('refuses an expired link and one replaced by a newer invitation', async () => {
    const now = new Date();
    let before = sink.received.length;
    await inviteUser(ctx, admin, { email: 'late@example.test', role: 'viewer', locale: 'en' }, now);
    const first = tokenOf(linkIn((await sink.waitForMail('late@example.test', { after: before })).text));
    const later = new Date(now.getTime() + INVITATION_TTL_MS + 1000);
    expect(await findInvitation(prisma, first, later)).toBeNull();
    expect(
      await refusal(acceptInvitation(prisma, first, { name: 'Late', password: 'long enough pw' }, later)),
    ).toBe('link-invalid');

    before = sink.received.length;
    await inviteUser(ctx, admin, { email: 'late@example.test', role: 'admin', locale: 'en' });
    const mail = await sink.waitForMail('late@example.test', { after: before });
    expect(mail.subject).toBe('You are invited to 한빛 아파트 on MeterTwin');
    expect(await findInvitation(prisma, first)).toBeNull();
    expect(await findInvitation(prisma, tokenOf(linkIn(mail.text)))).toMatchObject({ role: 'admin' });
  });

  it('takes the invitation back when the mail server cannot be reached', async () => {
    const down: OrgAdminMail = {
      ...ctx,
      mailer: createMailer({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'x <x@x.test>' }),
    };
    await expect(
      inviteUser(down, admin, { email: 'lost@example.test', role: 'viewer', locale: 'en' }),
    ).rejects.toBeInstanceOf(MailDeliveryError);
    expect(await prisma.invitation.count({ where: { email: 'lost@example.test' } })).toBe(0);
  });
});

describe('roles and deactivation', () => {
  it('keeps one active admin and ends a deactivated user’s sessions at once', async () => {
    const op = await prisma.user.create({
      data: { orgId, email: 'op@example.test', name: 'Op', role: 'operator', passwordHash: 'x' },
    });
    await prisma.session.create({
      data: { userId: op.id, tokenHash: `h-${op.id}`, expiresAt: new Date(Date.now() + 3600_000) },
    });

    // Ada is the only admin: she can neither step down nor be deactivated.
    expect(await refusal(changeUserRole(prisma, admin, admin.id, 'operator'))).toBe('last-admin');
    expect(await refusal(setUserActive(prisma, admin, admin.id, false))).toBe('last-admin');

    expect((await changeUserRole(prisma, admin, op.id, 'admin')).role).toBe('admin');
    // With a second admin, she may.
    expect((await changeUserRole(prisma, admin, admin.id, 'viewer')).role).toBe('viewer');
    const opActor = { orgId, type: 'user' as const, id: op.id };
    expect((await changeUserRole(prisma, opActor, admin.id, 'admin')).role).toBe('admin');

    await setUserActive(prisma, admin, op.id, false);
    expect(await prisma.session.count({ where: { userId: op.id } })).toBe(0);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: op.id } })).deactivatedAt).not.toBeNull();
    // A deactivated admin does not count: Ada is the last active one again.
    expect(await refusal(changeUserRole(prisma, admin, admin.id, 'viewer'))).toBe('last-admin');
    await setUserActive(prisma, admin, op.id, true);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: op.id } })).deactivatedAt).toBeNull();

    // Another organization's user is not found.
    const other = await prisma.organization.create({ data: { name: 'Other', slug: `other-${Date.now()}` } });
    expect(
      await refusal(changeUserRole(prisma, { orgId: other.id, type: 'user', id: 'x' }, op.id, 'viewer')),
    ).toBe('user-not-found');

    const actions = (
      await prisma.auditLog.findMany({ where: { entityId: op.id }, orderBy: { at: 'asc' } })
    ).map((a) => a.action);
    expect(actions).toEqual(['user.role-changed', 'user.deactivated', 'user.reactivated']);
  });
});

describe('password reset', () => {
  it('mails a single-use link in the user’s language; unknown addresses get nothing', async () => {
    const user = await prisma.user.create({
      data: {
        orgId,
        email: 'reset@example.test',
        name: '박서준',
        role: 'viewer',
        locale: 'ko',
        passwordHash: await hashPassword('old password 1'),
      },
    });
    await prisma.session.create({
      data: { userId: user.id, tokenHash: `h-${user.id}`, expiresAt: new Date(Date.now() + 3600_000) },
    });

    const before = sink.received.length;
    await requestPasswordReset(ctx, 'nobody@example.test');
    await requestPasswordReset(ctx, ' Reset@Example.test ');
    const mail = await sink.waitForMail('reset@example.test', { after: before });
    expect(sink.received.slice(before).map((m) => m.envelopeTo)).toEqual([['reset@example.test']]);
    expect(mail.subject).toBe('MeterTwin 비밀번호 재설정');
    expect(mail.text).toContain('박서준님, 안녕하세요.');
    const token = tokenOf(linkIn(mail.text));
    expect(linkIn(mail.text)).toMatch(/^https:\/\/portal\.example\.test\/reset-password\?token=/);

    expect(
      await isPasswordResetUsable(prisma, token, new Date(Date.now() + PASSWORD_RESET_TTL_MS + 1000)),
    ).toBe(false);
    expect(await isPasswordResetUsable(prisma, token)).toBe(true);
    expect(await resetPassword(prisma, token, 'new password 22')).toEqual({ email: 'reset@example.test' });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword('new password 22', after.passwordHash)).toBe(true);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await refusal(resetPassword(prisma, token, 'third password 3'))).toBe('link-invalid');

    // A deactivated user gets no link, and an open link stops working when they are deactivated.
    const sent = sink.received.length;
    await requestPasswordReset(ctx, 'reset@example.test');
    const second = tokenOf(linkIn((await sink.waitForMail('reset@example.test', { after: sent })).text));
    await setUserActive(prisma, admin, user.id, false);
    expect(await refusal(resetPassword(prisma, second, 'third password 3'))).toBe('link-invalid');
    await requestPasswordReset(ctx, 'reset@example.test');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.received.length).toBe(sent + 1);
  });
});

describe('organization language', () => {
  it('is set by an admin, audited, and writes the mails of users who chose no language', async () => {
    const other = (await prisma.organization.create({ data: { name: 'Bright Towers', slug: `org-lang-${Date.now()}` } })).id;
    const otherAdmin = { orgId: other, type: 'user', id: admin.id, name: admin.name } as const;
    const user = (locale: string | null, email: string) =>
      prisma.user.create({ data: { orgId: other, email, name: '이서연', role: 'viewer', locale, passwordHash: 'x' } });
    await user(null, 'nolang@example.test');
    await user('en', 'english@example.test');
    const resetMail = async (email: string) => {
      const before = sink.received.length;
      await requestPasswordReset(ctx, email);
      return (await sink.waitForMail(email, { after: before })).subject;
    };

    expect(await organizationLanguage(prisma, other)).toBeNull();
    expect(await resetMail('nolang@example.test')).toBe('Reset your MeterTwin password');
    await setOrganizationLanguage(prisma, otherAdmin, 'ko');
    await setOrganizationLanguage(prisma, otherAdmin, 'ko'); // the same again writes nothing
    expect(await organizationLanguage(prisma, other)).toBe('ko');
    expect(await resetMail('nolang@example.test')).toBe('MeterTwin 비밀번호 재설정');
    // a user's own language wins
    expect(await resetMail('english@example.test')).toBe('Reset your MeterTwin password');

    await setOrganizationLanguage(prisma, otherAdmin, null);
    expect(await organizationLanguage(prisma, other)).toBeNull();
    const audit = await prisma.auditLog.findMany({ where: { orgId: other, action: 'organization.default-locale.set' }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.data)).toEqual([{ before: null, after: 'ko' }, { before: 'ko', after: null }]);
  });
});

describe('mail without an SMTP server', () => {
  it('writes the message, link included, to the log when SMTP_URL is unset', async () => {
    const lines: string[] = [];
    const logged: OrgAdminMail = {
      ...ctx,
      mailer: createMailer({ MAIL_FROM: 'x <x@x.test>' }, (l) => lines.push(l)),
    };
    await inviteUser(logged, admin, { email: 'dev@example.test', role: 'viewer', locale: 'en' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('To: dev@example.test');
    expect(lines[0]).toMatch(/https:\/\/portal\.example\.test\/invite\/[A-Za-z0-9_-]{43}/);
  });
});

describe('revoking an invitation', () => {
  it('stops the link working, once, and only in the admin’s organization', async () => {
    const before = sink.received.length;
    const { invitationId } = await inviteUser(ctx, admin, {
      email: 'maybe@example.test',
      role: 'viewer',
      locale: 'en',
    });
    const token = tokenOf(linkIn((await sink.waitForMail('maybe@example.test', { after: before })).text));
    const other = await prisma.organization.create({
      data: { name: 'Elsewhere', slug: `elsewhere-${Date.now()}` },
    });
    expect(
      await refusal(revokeInvitation(prisma, { orgId: other.id, type: 'user', id: 'x' }, invitationId)),
    ).toBe('invitation-not-found');
    await revokeInvitation(prisma, admin, invitationId);
    expect(await findInvitation(prisma, token)).toBeNull();
    expect(await refusal(revokeInvitation(prisma, admin, invitationId))).toBe('invitation-not-found');
    expect(
      await prisma.auditLog.count({ where: { action: 'user.invitation-revoked', entityId: invitationId } }),
    ).toBe(1);
  });
});
