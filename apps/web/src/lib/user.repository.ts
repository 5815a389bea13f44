import type { Prisma, PrismaClient, User } from '@metertwin/db';

/** Data access of the portal's users and their sign-in sessions. */

/** The user row for an e-mail as stored (lower-case), password hash included: sign-in only. */
export function findUserForSignIn(db: PrismaClient, email: string): Promise<User | null> {
  return db.user.findUnique({ where: { email } });
}

export async function updateUserLocale(db: PrismaClient, userId: string, locale: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { locale } });
}

export async function updateLastSignIn(db: PrismaClient, userId: string, at: Date): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { lastSignInAt: at } });
}

export async function insertSession(db: PrismaClient, data: Prisma.SessionUncheckedCreateInput): Promise<void> {
  await db.session.create({ data });
}

/** The session of a token hash with what the portal knows of its user. */
export function findSessionByTokenHash(db: PrismaClient, tokenHash: string) {
  return db.session.findUnique({
    where: { tokenHash },
    include: {
      user: {
        select: { id: true, orgId: true, role: true, name: true, email: true, locale: true, deactivatedAt: true },
      },
    },
  });
}

/** Moves a session's expiry (sliding: an active user stays signed in). */
export async function touchSession(db: PrismaClient, id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
  await db.session.updateMany({ where: { id }, data: { lastSeenAt, expiresAt } });
}

export async function deleteSessions(db: PrismaClient, where: Prisma.SessionWhereInput): Promise<void> {
  await db.session.deleteMany({ where });
}
