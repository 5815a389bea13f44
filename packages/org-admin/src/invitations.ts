import { recordAudit, type Actor } from '@metertwin/alarms';
import { hashPassword, Prisma, type PrismaClient, type Role } from '@metertwin/db';
import type { z } from 'zod';
import { portalLink, type OrgAdminMail } from './context.js';
import { OrgAdminError } from './errors.js';
import {
  claimInvitation,
  deleteInvitation,
  deletePendingInvitation,
  deletePendingInvitations,
  findOrgName,
  findUsableInvitation,
  insertInvitation,
  linkInvitationUser,
} from './invitation.repository.js';
import { mailLocaleOf, type MailLocale } from './locales.js';
import { invitationMail } from './mail/messages.js';
import type { AcceptInvitationSchema, InviteInput } from './schemas.js';
import { hashLinkToken, newLinkToken, plausibleLinkToken } from './tokens.js';
import { findUserByEmail, insertUser } from './user.repository.js';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

/** The admin who invites, as the e-mail names them. */
export interface Inviter extends Actor {
  type: 'user';
  name: string;
}

/**
 * Invites `email` into the admin's organization with a role: a single-use link valid for a week is
 * e-mailed in `locale`. A new invitation of the same address replaces the earlier one. An address that
 * already has an account (here or elsewhere: e-mails are unique) is refused. If the mail server does
 * not take the message, the invitation is taken back and MailDeliveryError thrown.
 */
export async function inviteUser(
  ctx: OrgAdminMail,
  inviter: Inviter,
  input: InviteInput,
  now = new Date(),
): Promise<{ invitationId: string; expiresAt: Date }> {
  const email = input.email.trim().toLowerCase();
  const token = newLinkToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const { invitationId, orgName } = await ctx.prisma.$transaction(async (tx) => {
    if (await findUserByEmail(tx, email))
      throw new OrgAdminError('already-member', 'this e-mail address already has an account');
    await deletePendingInvitations(tx, inviter.orgId, email);
    const { id } = await insertInvitation(tx, {
      orgId: inviter.orgId,
      email,
      role: input.role,
      locale: input.locale,
      tokenHash: hashLinkToken(token),
      invitedById: inviter.id,
      expiresAt,
    });
    await recordAudit(
      tx,
      inviter,
      'user.invited',
      { type: 'invitation', id },
      {
        email,
        role: input.role,
        locale: input.locale,
      },
    );
    return { invitationId: id, orgName: (await findOrgName(tx, inviter.orgId)).name };
  });
  try {
    await ctx.mailer.send(
      invitationMail(input.locale, {
        to: email,
        orgName,
        inviterName: inviter.name,
        role: input.role,
        link: portalLink(ctx.portalUrl, `invite/${token}`),
        expiresAt,
      }),
    );
  } catch (error) {
    // Nobody can accept a link that never arrived: the admin sees the failure and invites again.
    await deleteInvitation(ctx.prisma, invitationId);
    throw error;
  }
  return { invitationId, expiresAt };
}

/** What the accept page shows for a link; null when the link is unknown, used or expired. */
export interface InvitationView {
  email: string;
  orgName: string;
  role: Role;
  locale: MailLocale;
}

export async function findInvitation(
  prisma: Prisma.TransactionClient,
  token: string,
  now = new Date(),
): Promise<InvitationView | null> {
  if (!plausibleLinkToken(token)) return null;
  const invitation = await findUsableInvitation(prisma, hashLinkToken(token), now);
  if (!invitation) return null;
  return {
    email: invitation.email,
    orgName: invitation.org.name,
    role: invitation.role,
    locale: mailLocaleOf(invitation.locale),
  };
}

const linkInvalid = () => new OrgAdminError('link-invalid', 'this link is unknown, used or expired');

/**
 * Accepts an invitation once: creates the user with the invitation's role and language and the chosen
 * name and password. The new user signs in afterwards like anyone else.
 */
export async function acceptInvitation(
  prisma: PrismaClient,
  token: string,
  input: z.output<typeof AcceptInvitationSchema>,
  now = new Date(),
): Promise<{ userId: string; email: string; locale: MailLocale }> {
  if (!plausibleLinkToken(token)) throw linkInvalid();
  // Hashed before the transaction: scrypt takes a while and needs no lock.
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const invitation = await findUsableInvitation(tx, hashLinkToken(token), now);
      if (!invitation || !(await claimInvitation(tx, invitation.id, now))) throw linkInvalid();
      const user = await insertUser(tx, {
        orgId: invitation.orgId,
        email: invitation.email,
        name: input.name,
        role: invitation.role,
        locale: invitation.locale,
        passwordHash,
      });
      await linkInvitationUser(tx, invitation.id, user.id);
      await recordAudit(
        tx,
        { orgId: invitation.orgId, type: 'user', id: user.id },
        'user.invitation-accepted',
        { type: 'user', id: user.id },
        { email: invitation.email, role: invitation.role, invitationId: invitation.id },
      );
      return { userId: user.id, email: invitation.email, locale: mailLocaleOf(invitation.locale) };
    });
  } catch (error) {
    // The address got an account meanwhile (another invitation, a seed script).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      throw new OrgAdminError('already-member', 'this e-mail address already has an account');
    throw error;
  }
}

/** Takes back an invitation not yet accepted: its link stops working. */
export async function revokeInvitation(
  prisma: PrismaClient,
  actor: Actor,
  invitationId: string,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const email = await deletePendingInvitation(tx, actor.orgId, invitationId);
    if (!email) throw new OrgAdminError('invitation-not-found', 'no such pending invitation');
    await recordAudit(
      tx,
      actor,
      'user.invitation-revoked',
      { type: 'invitation', id: invitationId },
      { email },
    );
  });
}
