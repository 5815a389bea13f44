import { recordAudit, type Actor } from '@metertwin/alarms';
import { hashPassword, type PrismaClient } from '@metertwin/db';
import { portalLink, type OrgAdminMail } from './context.js';
import { OrgAdminError } from './errors.js';
import { userMailLocale } from './organization-language.js';
import { findOrgDefaultLocale } from './organization.repository.js';
import { passwordResetMail } from './mail/messages.js';
import {
  claimPasswordResets,
  findUsablePasswordReset,
  insertPasswordReset,
} from './password-reset.repository.js';
import { hashLinkToken, newLinkToken, plausibleLinkToken } from './tokens.js';
import { findOrgUser, findUserByEmail, setUserPassword } from './user.repository.js';

export const PASSWORD_RESET_TTL_MS = 60 * 60_000;

async function sendResetLink(
  ctx: OrgAdminMail,
  user: { id: string; email: string; name: string; locale: string | null },
  actor: Actor,
  now: Date,
): Promise<void> {
  const token = newLinkToken();
  await ctx.prisma.$transaction(async (tx) => {
    await insertPasswordReset(tx, {
      userId: user.id,
      tokenHash: hashLinkToken(token),
      expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MS),
    });
    await recordAudit(tx, actor, 'user.password-reset-requested', { type: 'user', id: user.id }, {});
  });
  await ctx.mailer.send(
    passwordResetMail(userMailLocale(user, await findOrgDefaultLocale(ctx.prisma, actor.orgId)), {
      to: user.email,
      name: user.name,
      link: portalLink(ctx.portalUrl, `reset-password?token=${token}`),
      validMinutes: PASSWORD_RESET_TTL_MS / 60_000,
    }),
  );
}

/**
 * "Forgot password": e-mails a reset link (in the user's language, else the organization's) when the address belongs to an
 * active user, and does nothing otherwise. The caller answers the same either way, so the form does
 * not tell who has an account.
 */
export async function requestPasswordReset(
  ctx: OrgAdminMail,
  email: string,
  now = new Date(),
): Promise<void> {
  const user = await findUserByEmail(ctx.prisma, email.trim().toLowerCase());
  if (!user || user.deactivatedAt) return;
  await sendResetLink(ctx, user, { orgId: user.orgId, type: 'system', id: 'password-reset-form' }, now);
}

/** An admin sends a reset link to an active user of their organization. */
export async function sendPasswordResetLink(
  ctx: OrgAdminMail,
  admin: Actor,
  userId: string,
  now = new Date(),
): Promise<void> {
  const user = await findOrgUser(ctx.prisma, admin.orgId, userId);
  if (!user) throw new OrgAdminError('user-not-found', 'no such user in this organization');
  if (user.deactivatedAt) throw new OrgAdminError('account-deactivated', 'reactivate the user first');
  await sendResetLink(ctx, user, admin, now);
}

/** Whether a reset link can still be used (the page asks before showing the form). */
export async function isPasswordResetUsable(
  prisma: PrismaClient,
  token: string,
  now = new Date(),
): Promise<boolean> {
  if (!plausibleLinkToken(token)) return false;
  return Boolean(await findUsablePasswordReset(prisma, hashLinkToken(token), now));
}

/**
 * Sets a new password from a reset link, once: the link and any older ones stop working and every
 * session of the user ends. Returns the user's e-mail (the page offers to sign in with it).
 */
export async function resetPassword(
  prisma: PrismaClient,
  token: string,
  password: string,
  now = new Date(),
): Promise<{ email: string }> {
  const invalid = () => new OrgAdminError('link-invalid', 'this link is unknown, used or expired');
  if (!plausibleLinkToken(token)) throw invalid();
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const reset = await findUsablePasswordReset(tx, hashLinkToken(token), now);
    if (!reset || !(await claimPasswordResets(tx, reset.id, reset.userId, now))) throw invalid();
    await setUserPassword(tx, reset.userId, passwordHash);
    await recordAudit(
      tx,
      { orgId: reset.user.orgId, type: 'user', id: reset.userId },
      'user.password-reset',
      { type: 'user', id: reset.userId },
      {},
    );
    return { email: reset.user.email };
  });
}
