import type { Prisma, Role } from '@metertwin/db';

/** A member of an organization as the admin's user list shows them. */
export interface OrgUserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string | null;
  createdAt: Date;
  lastSignInAt: Date | null;
  deactivatedAt: Date | null;
}

const VIEW = {
  id: true,
  email: true,
  name: true,
  role: true,
  locale: true,
  createdAt: true,
  lastSignInAt: true,
  deactivatedAt: true,
} as const;

export function findOrgUsers(db: Prisma.TransactionClient, orgId: string): Promise<OrgUserView[]> {
  return db.user.findMany({ where: { orgId }, select: VIEW, orderBy: [{ name: 'asc' }, { email: 'asc' }] });
}

export function findOrgUser(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<OrgUserView | null> {
  return db.user.findFirst({ where: { id, orgId }, select: VIEW });
}

export function findUserByEmail(db: Prisma.TransactionClient, email: string) {
  return db.user.findUnique({
    where: { email },
    select: { id: true, orgId: true, name: true, email: true, locale: true, deactivatedAt: true },
  });
}

/**
 * Locks the organization's row for the rest of the transaction, so two admins changing roles at the
 * same time cannot both take away what they each saw as the other admin.
 */
export async function lockOrganization(db: Prisma.TransactionClient, orgId: string): Promise<void> {
  await db.$queryRaw`SELECT id FROM "Organization" WHERE id = ${orgId} FOR UPDATE`;
}

export function countActiveAdmins(db: Prisma.TransactionClient, orgId: string): Promise<number> {
  return db.user.count({ where: { orgId, role: 'admin', deactivatedAt: null } });
}

export async function updateUserRole(db: Prisma.TransactionClient, id: string, role: Role): Promise<void> {
  await db.user.update({ where: { id }, data: { role } });
}

/** Deactivating also ends every session of the user, so open browsers lose access on their next request. */
export async function setUserDeactivatedAt(
  db: Prisma.TransactionClient,
  id: string,
  deactivatedAt: Date | null,
): Promise<void> {
  await db.user.update({ where: { id }, data: { deactivatedAt } });
  if (deactivatedAt) await db.session.deleteMany({ where: { userId: id } });
}

/** A new password ends every session: whoever had the old one is signed out. */
export async function setUserPassword(
  db: Prisma.TransactionClient,
  id: string,
  passwordHash: string,
): Promise<void> {
  await db.user.update({ where: { id }, data: { passwordHash } });
  await db.session.deleteMany({ where: { userId: id } });
}

export function insertUser(
  db: Prisma.TransactionClient,
  data: { orgId: string; email: string; name: string; role: Role; locale: string; passwordHash: string },
) {
  return db.user.create({ data, select: { id: true } });
}
