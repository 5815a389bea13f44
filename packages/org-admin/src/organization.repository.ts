import type { Prisma } from '@metertwin/db';

/** The organization's default language as stored (null: none set). */
export async function findOrgDefaultLocale(db: Prisma.TransactionClient, orgId: string): Promise<string | null> {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { defaultLocale: true } });
  return org.defaultLocale;
}

/** The stored default language, the organization's row locked until the transaction ends (two admins setting it at once). */
export async function lockOrgDefaultLocale(db: Prisma.TransactionClient, orgId: string): Promise<string | null> {
  const [row] = await db.$queryRaw<{ defaultLocale: string | null }[]>`SELECT "defaultLocale" FROM "Organization" WHERE id = ${orgId} FOR UPDATE`;
  return row?.defaultLocale ?? null;
}

export async function updateOrgDefaultLocale(db: Prisma.TransactionClient, orgId: string, locale: string | null): Promise<void> {
  await db.organization.update({ where: { id: orgId }, data: { defaultLocale: locale } });
}

/** The retention periods in days (null: kept forever), the organization's row locked until the transaction ends. */
export async function lockOrgRetention(
  db: Prisma.TransactionClient,
  orgId: string,
): Promise<{ photoRetentionDays: number | null; readingRetentionDays: number | null }> {
  const [row] = await db.$queryRaw<{ photoRetentionDays: number | null; readingRetentionDays: number | null }[]>`
    SELECT "photoRetentionDays", "readingRetentionDays" FROM "Organization" WHERE id = ${orgId} FOR UPDATE`;
  return { photoRetentionDays: row?.photoRetentionDays ?? null, readingRetentionDays: row?.readingRetentionDays ?? null };
}

export async function findOrgRetention(
  db: Prisma.TransactionClient,
  orgId: string,
): Promise<{ photoRetentionDays: number | null; readingRetentionDays: number | null }> {
  return db.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { photoRetentionDays: true, readingRetentionDays: true },
  });
}

export async function updateOrgRetention(
  db: Prisma.TransactionClient,
  orgId: string,
  retention: { photoRetentionDays: number | null; readingRetentionDays: number | null },
): Promise<void> {
  await db.organization.update({ where: { id: orgId }, data: retention });
}
