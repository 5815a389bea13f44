import type { Prisma } from '@metertwin/db';

export async function insertPasswordReset(
  db: Prisma.TransactionClient,
  data: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.passwordReset.create({ data });
}

/** The reset behind a link while usable: not used, not expired, its user active. */
export function findUsablePasswordReset(db: Prisma.TransactionClient, tokenHash: string, now: Date) {
  return db.passwordReset.findFirst({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now }, user: { deactivatedAt: null } },
    select: { id: true, userId: true, user: { select: { orgId: true, email: true, name: true } } },
  });
}

/**
 * Uses up every open reset link of the user (the one followed and any older ones); false when the
 * followed one was used meanwhile by another request.
 */
export async function claimPasswordResets(
  db: Prisma.TransactionClient,
  id: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  const { count } = await db.passwordReset.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return false;
  await db.passwordReset.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  return true;
}
