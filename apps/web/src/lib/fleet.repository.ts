import { Prisma, type PrismaClient } from '@metertwin/db';
import type { CameraHealth } from './camera-health';
import { cameraHealthSql } from './camera-health.repository';
import type { FleetSort, FleetStatus } from './fleet';
import type { ReadingStatus } from './meters';

/** One meter of the fleet page as the query gives it. */
export interface FleetRow {
  id: string;
  name: string;
  location: string;
  group: string | null;
  kind: string;
  unit: string;
  digits: number;
  decimals: number;
  time_zone: string;
  archived_at: Date | null;
  reading_id: string | null;
  value: string | null;
  status: ReadingStatus | null;
  confidence: number | null;
  taken_at: Date | null;
  today: number;
  health: CameraHealth;
  devices: number;
  last_seen_at: Date | null;
  camera_error: string | null;
  alarms: number;
  total: number;
}

export interface FleetFilter {
  /** Name, location or group contains it (case-insensitive); empty: every meter. */
  q: string;
  status?: FleetStatus;
  location?: string;
  group?: string;
  sort: FleetSort;
  /** Archived meters too. */
  archived: boolean;
}

const ORDER: Record<FleetSort, Prisma.Sql> = {
  name: Prisma.sql`lower(name), id`,
  last: Prisma.sql`taken_at DESC NULLS LAST, lower(name), id`,
  today: Prisma.sql`today DESC, lower(name), id`,
  alarms: Prisma.sql`alarms DESC, (health = 'failing') DESC, lower(name), id`,
};

const STATUS_FILTER: Record<FleetStatus, Prisma.Sql> = {
  alarm: Prisma.sql`alarms > 0`,
  review: Prisma.sql`status IN ('needs_review', 'rejected')`,
  failing: Prisma.sql`health = 'failing'`,
  stale: Prisma.sql`health = 'stale'`,
  online: Prisma.sql`health = 'online'`,
  'no-camera': Prisma.sql`health = 'none'`,
  'no-reading': Prisma.sql`reading_id IS NULL`,
};

/**
 * One page of an organization's meters with each one's latest reading, today's consumption (in the
 * meter's time zone), camera health and open alarms (LATERAL joins, index lookups per meter),
 * filtered, sorted and paged in the query; every row carries the total of matching meters. Sorted by
 * name without a status filter, the page is picked from the meters first and only its meters are looked
 * up (at 10,000 meters the lookups of all of them took 650 ms: docs/benchmarks.md).
 */
export function findFleetRows(
  prisma: PrismaClient,
  orgId: string,
  filter: FleetFilter,
  page: { now: Date; limit: number; offset: number },
): Promise<FleetRow[]> {
  const at = page.now.toISOString();
  const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;

  const where = [Prisma.sql`m."orgId" = ${orgId}`];
  if (!filter.archived) where.push(Prisma.sql`m."archivedAt" IS NULL`);
  if (pattern) {
    where.push(
      Prisma.sql`(m.name ILIKE ${pattern} OR m.location ILIKE ${pattern} OR coalesce(m."group", '') ILIKE ${pattern})`,
    );
  }
  if (filter.location !== undefined) where.push(Prisma.sql`m.location = ${filter.location}`);
  if (filter.group !== undefined) where.push(Prisma.sql`m."group" = ${filter.group}`);
  const statusFilter = filter.status ? Prisma.sql`WHERE ${STATUS_FILTER[filter.status]}` : Prisma.empty;
  const pageFirst = filter.sort === 'name' && !filter.status;
  const meters = pageFirst
    ? Prisma.sql`SELECT m.*, (count(*) OVER ())::int AS matching FROM "Meter" m
        WHERE ${Prisma.join(where, ' AND ')}
        ORDER BY lower(m.name), m.id LIMIT ${page.limit} OFFSET ${page.offset}`
    : Prisma.sql`SELECT m.*, NULL::int AS matching FROM "Meter" m WHERE ${Prisma.join(where, ' AND ')}`;

  // takenAt is a UTC timestamp without zone: local midnight → timestamptz → UTC wall time.
  return prisma.$queryRaw<FleetRow[]>`
    WITH picked AS (${meters}),
    fleet AS (
      SELECT m.id, m.name, m.location, m."group", m.kind::text AS kind, m.unit, m.digits, m.decimals,
             m."timeZone" AS time_zone, m."archivedAt" AS archived_at,
             lr.id AS reading_id, lr.value, lr.status::text AS status, lr.confidence, lr."takenAt" AS taken_at,
             coalesce(td.total, 0)::float8 AS today,
             coalesce(cam.health, 'none') AS health, coalesce(cam.devices, 0)::int AS devices,
             cam.last_seen_at, cam.camera_error,
             coalesce(al.n, 0)::int AS alarms
      FROM picked m
      LEFT JOIN LATERAL (
        SELECT r.id, r.value, r.status, r.confidence, r."takenAt"
        FROM "Reading" r WHERE r."meterId" = m.id
        ORDER BY r."takenAt" DESC, r."createdAt" DESC LIMIT 1
      ) lr ON true
      LEFT JOIN LATERAL (
        SELECT sum(r.consumption) AS total
        FROM "Reading" r
        WHERE r."meterId" = m.id AND r.status IN ('accepted', 'corrected')
          AND r."takenAt" >= (date_trunc('day', ${at}::timestamptz AT TIME ZONE m."timeZone") AT TIME ZONE m."timeZone") AT TIME ZONE 'UTC'
          AND r."takenAt" <= ${at}::timestamptz AT TIME ZONE 'UTC'
      ) td ON true
      LEFT JOIN LATERAL (${cameraHealthSql(page.now)}
      ) cam ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM "Alarm" a WHERE a."meterId" = m.id AND a.status = 'active'
      ) al ON true
    )
    SELECT *, coalesce((SELECT matching FROM picked LIMIT 1), (count(*) OVER ())::int) AS total FROM fleet
    ${statusFilter}
    ORDER BY ${ORDER[filter.sort]}
    LIMIT ${page.limit} OFFSET ${pageFirst ? 0 : page.offset}`;
}

/** Every location and group of the organization's meters, for the filter menus. */
export function findFleetFacets(
  prisma: PrismaClient,
  orgId: string,
): Promise<{ kind: 'location' | 'group'; value: string }[]> {
  return prisma.$queryRaw<{ kind: 'location' | 'group'; value: string }[]>`
    SELECT DISTINCT 'location' AS kind, location AS value FROM "Meter" WHERE "orgId" = ${orgId} AND location <> ''
    UNION
    SELECT DISTINCT 'group', "group" FROM "Meter" WHERE "orgId" = ${orgId} AND "group" IS NOT NULL
    ORDER BY 1, 2`;
}

/** Accepted and corrected consumption per meter and hour (hours since the epoch) in [since, until]. */
export function findHourlyConsumption(
  prisma: PrismaClient,
  meterIds: string[],
  since: Date,
  until: Date,
): Promise<{ meter_id: string; hour: number; total: number }[]> {
  return prisma.$queryRaw<{ meter_id: string; hour: number; total: number }[]>`
    SELECT "meterId" AS meter_id,
           floor(extract(epoch FROM "takenAt") / 3600)::int AS hour,
           sum(consumption)::float8 AS total
    FROM "Reading"
    WHERE "meterId" = ANY(${meterIds}::text[]) AND status IN ('accepted', 'corrected')
      AND "takenAt" >= ${since.toISOString()}::timestamptz AT TIME ZONE 'UTC' AND "takenAt" <= ${until.toISOString()}::timestamptz AT TIME ZONE 'UTC'
    GROUP BY 1, 2`;
}
