import { Prisma, type PrismaClient } from '@metertwin/db';

/** Data access shared by photo and reading retention: who asked for it, and the expired captures' query. */

/** The organization's setting that asks for one kind of retention, in days. */
export type RetentionColumn = 'photoRetentionDays' | 'readingRetentionDays';

/** The organizations that set `column`, oldest first, with its number of days. */
export async function findOrgsWithRetention(
  db: PrismaClient,
  column: RetentionColumn,
): Promise<{ id: string; days: number }[]> {
  const where: Prisma.OrganizationWhereInput = { [column]: { not: null } };
  const orgs = await db.organization.findMany({
    where,
    select: { id: true, photoRetentionDays: true, readingRetentionDays: true },
    orderBy: { createdAt: 'asc' },
  });
  return orgs.map((org) => ({ id: org.id, days: org[column]! }));
}

/**
 * Captures `c` (each with its reading `r`, if any) of organization `orgId` taken and received before
 * `before` that retention may delete: at a final state (one still in the pipeline is needed), without
 * training samples, not the meter's latest capture (its twin shows it), and meeting `where`. Meter by
 * meter in id order from `fromMeterId` on (the meter the previous batch ended in), each one's oldest
 * first through an index on (meterId, takenAt), so a batch stops after `limit` rows instead of judging
 * every expired capture of the organization (at 7.2 M expired captures an organization-wide oldest-first
 * query took 98 s per batch, this one 45 ms: docs/operations.md), and the meters an earlier batch
 * finished are not read again. Each row has `id`, `meterId` and the given `columns`.
 */
export function expiredCapturesQuery(
  scope: { orgId: string; before: Date; limit: number; fromMeterId: string },
  parts: {
    /** The row's other columns: name → an SQL expression over c and r (constants of the code, never input). */
    columns: Record<string, string>;
    /** More of the meter's newest rows to keep, as `, (…) AS name` columns of `latest` (it has `capture`). */
    latest?: Prisma.Sql;
    /** More conditions a capture must meet (over c, r and latest). */
    where: Prisma.Sql;
  },
): Prisma.Sql {
  const { orgId, before, limit, fromMeterId } = scope;
  const names = Object.keys(parts.columns);
  const outer = Prisma.raw(names.map((name) => `x."${name}"`).join(', '));
  const inner = Prisma.raw(names.map((name) => `${parts.columns[name]} AS "${name}"`).join(', '));
  return Prisma.sql`
    SELECT x.id, m.id AS "meterId", ${outer}
    FROM "Meter" m
    CROSS JOIN LATERAL (
      SELECT (SELECT l.id FROM "Capture" l WHERE l."meterId" = m.id ORDER BY l."takenAt" DESC, l."receivedAt" DESC LIMIT 1) AS capture
             ${parts.latest ?? Prisma.empty}
    ) latest
    CROSS JOIN LATERAL (
      SELECT c.id, c."takenAt", ${inner}
      FROM "Capture" c
      LEFT JOIN "Reading" r ON r."captureId" = c.id
      WHERE c."meterId" = m.id
        AND c."takenAt" < ${before} AND c."receivedAt" < ${before}
        AND c.status IN ('recognized', 'failed')
        AND c.id <> latest.capture
        AND ${parts.where}
        AND NOT EXISTS (SELECT 1 FROM "TrainingSample" t WHERE t."captureId" = c.id)
        AND NOT EXISTS (SELECT 1 FROM "TrainingSample" t WHERE t."readingId" = r.id)
      ORDER BY c."takenAt"
      LIMIT ${limit}
    ) x
    WHERE m."orgId" = ${orgId} AND m.id >= ${fromMeterId}
    ORDER BY m.id, x."takenAt"
    LIMIT ${limit}`;
}
