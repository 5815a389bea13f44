import type { Prisma } from '@metertwin/db';

/** Data access of the ledger of retained Home Assistant messages (HomeAssistantRetained). */

type Db = Prisma.TransactionClient;

/** Records (or touches) the meter's retained topics; answers those that were recorded already. */
export async function recordRetained(db: Db, orgId: string, meterId: string, topics: string[]): Promise<Set<string>> {
  const known = await db.homeAssistantRetained.findMany({ where: { topic: { in: topics } }, select: { topic: true } });
  for (const topic of topics) {
    await db.homeAssistantRetained.upsert({ where: { topic }, create: { topic, orgId, meterId }, update: { orgId, meterId } });
  }
  return new Set(known.map((row) => row.topic));
}

/** A page of recorded topics with what decides whether each is still wanted: its meter (null when deleted) and organization. */
export async function findRetainedPage(db: Db, take: number, after?: string) {
  const rows = await db.homeAssistantRetained.findMany({
    where: after ? { topic: { gt: after } } : {},
    orderBy: { topic: 'asc' },
    take,
    select: { topic: true, meterId: true },
  });
  const meters = await db.meter.findMany({
    where: { id: { in: [...new Set(rows.map((row) => row.meterId))] } },
    select: { id: true, archivedAt: true, org: { select: { slug: true, homeAssistant: true, homeAssistantPrefix: true } } },
  });
  const byId = new Map(meters.map((meter) => [meter.id, meter]));
  return rows.map((row) => ({ topic: row.topic, meterId: row.meterId, meter: byId.get(row.meterId) ?? null }));
}

export async function forgetRetained(db: Db, topics: string[]): Promise<void> {
  await db.homeAssistantRetained.deleteMany({ where: { topic: { in: topics } } });
}
