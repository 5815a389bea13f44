import type { Prisma } from '@metertwin/db';

/** The names of the organization's users among `ids`, by id (who acknowledged an alarm, asked for a command). */
export async function userNamesById(
  db: Prisma.TransactionClient,
  orgId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(ids)] }, orgId },
    select: { id: true, name: true },
  });
  return new Map(users.map((u) => [u.id, u.name]));
}
