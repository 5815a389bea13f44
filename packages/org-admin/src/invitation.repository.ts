import type { Prisma, Role } from '@metertwin/db';

export function findOrgName(db: Prisma.TransactionClient, orgId: string) {
  return db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true } });
}

/** An earlier invitation of the same address stops working when a new one is sent. */
export async function deletePendingInvitations(
  db: Prisma.TransactionClient,
  orgId: string,
  email: string,
): Promise<void> {
  await db.invitation.deleteMany({ where: { orgId, email, acceptedAt: null } });
}

export function insertInvitation(
  db: Prisma.TransactionClient,
  data: {
    orgId: string;
    email: string;
    role: Role;
    locale: string;
    tokenHash: string;
    invitedById: string;
    expiresAt: Date;
  },
) {
  return db.invitation.create({ data, select: { id: true } });
}

export async function deleteInvitation(db: Prisma.TransactionClient, id: string): Promise<void> {
  await db.invitation.deleteMany({ where: { id } });
}

/** The invitation behind a link while it can still be accepted (not accepted, not expired). */
export function findUsableInvitation(db: Prisma.TransactionClient, tokenHash: string, now: Date) {
  return db.invitation.findFirst({
    where: { tokenHash, acceptedAt: null, expiresAt: { gt: now } },
    select: { id: true, orgId: true, email: true, role: true, locale: true, org: { select: { name: true } } },
  });
}

/** Marks the invitation accepted; false when another request accepted it first (the link works once). */
export async function claimInvitation(db: Prisma.TransactionClient, id: string, now: Date): Promise<boolean> {
  const { count } = await db.invitation.updateMany({
    where: { id, acceptedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now },
  });
  return count === 1;
}

export async function linkInvitationUser(
  db: Prisma.TransactionClient,
  id: string,
  userId: string,
): Promise<void> {
  await db.invitation.update({ where: { id }, data: { userId } });
}

/** Invitations not yet accepted, newest first (expired ones too: the admin sees they lapsed). */
export function findPendingInvitations(db: Prisma.TransactionClient, orgId: string) {
  return db.invitation.findMany({
    where: { orgId, acceptedAt: null },
    select: { id: true, email: true, role: true, locale: true, createdAt: true, expiresAt: true },
    orderBy: { createdAt: 'desc' },
  });
}

/** Deletes an invitation of the organization not yet accepted; its email, or null when there is none. */
export async function deletePendingInvitation(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<string | null> {
  const invitation = await db.invitation.findFirst({
    where: { id, orgId, acceptedAt: null },
    select: { email: true },
  });
  if (!invitation) return null;
  await db.invitation.delete({ where: { id } });
  return invitation.email;
}
