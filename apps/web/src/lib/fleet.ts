import { Prisma, type PrismaClient } from '@metertwin/db';
import { z } from 'zod';
import { cameraHealthSql, type CameraHealth } from './camera-health';
import type { ReadingStatus } from './meters';

/**
 * The fleet page's data: one query filters, sorts and pages an organization's meters with each one's
 * latest reading, today's consumption (in the meter's time zone), camera health and open alarms
 * (LATERAL joins, index lookups per meter), and one more fetches the page's 24-hour sparklines.
 */

export const FLEET_STATUSES = [
  'alarm',
  'review',
  'failing',
  'stale',
  'online',
  'no-camera',
  'no-reading',
] as const;
export type FleetStatus = (typeof FLEET_STATUSES)[number];
export const FLEET_SORTS = ['name', 'last', 'today', 'alarms'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];
export const FLEET_PAGE_SIZE = 48;

/** The fleet page's URL query, validated: unknown values fall back to the defaults instead of failing the page. */
export const FleetQuerySchema = z.object({
  q: z.string().trim().max(100).catch(''),
  status: z.enum(FLEET_STATUSES).optional().catch(undefined),
  location: z.string().max(200).optional().catch(undefined),
  group: z.string().max(200).optional().catch(undefined),
  sort: z.enum(FLEET_SORTS).catch('name'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  /** Archived meters are hidden unless asked for ("show archived"). */
  archived: z.literal('1').optional().catch(undefined),
});
export type FleetQuery = z.output<typeof FleetQuerySchema>;

export function parseFleetQuery(params: Record<string, string | string[] | undefined>): FleetQuery {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  return FleetQuerySchema.parse({
    q: first(params.q) ?? '',
    status: first(params.status),
    location: first(params.location),
    group: first(params.group),
    sort: first(params.sort) ?? 'name',
    page: first(params.page) ?? 1,
    archived: first(params.archived),
  });
}

export interface FleetTile {
  id: string;
  name: string;
  location: string;
  group: string | null;
  kind: string;
  unit: string;
  digits: number;
  decimals: number;
  timeZone: string;
  /** Set for an archived meter (listed only with "show archived"). */
  archivedAt: Date | null;
  latest: {
    id: string;
    value: string | null;
    status: ReadingStatus;
    confidence: number;
    takenAt: Date;
  } | null;
  /** Sum of accepted/corrected consumption since local midnight in the meter's time zone. */
  today: number;
  camera: { health: CameraHealth; devices: number; lastSeenAt: Date | null; error: string | null };
  activeAlarms: number;
  /** Consumption per hour over the last 24 hours, oldest first (24 values). */
  sparkline: number[];
}

export interface FleetPage {
  tiles: FleetTile[];
  /** Meters matching the filters (all pages). */
  total: number;
  page: number;
  pages: number;
  /** Every location and group of the organization, for the filter menus. */
  locations: string[];
  groups: string[];
}

/**
 * A camera is failing when its last error is newer than its last frame, stale when it has not
 * delivered a frame for 3 pull intervals (an hour for pushing cameras), online otherwise; the meter
 * shows its worst camera (the same rules as cameraState in lib/meters.ts).
 */

interface FleetRow {
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

export async function listFleetPage(
  prisma: PrismaClient,
  orgId: string,
  query: FleetQuery,
  options: { now?: Date; pageSize?: number } = {},
): Promise<FleetPage> {
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? FLEET_PAGE_SIZE;
  const at = now.toISOString();
  const offset = (query.page - 1) * pageSize;
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;

  const where = [Prisma.sql`m."orgId" = ${orgId}`];
  if (!query.archived) where.push(Prisma.sql`m."archivedAt" IS NULL`);
  if (pattern) {
    where.push(
      Prisma.sql`(m.name ILIKE ${pattern} OR m.location ILIKE ${pattern} OR coalesce(m."group", '') ILIKE ${pattern})`,
    );
  }
  if (query.location !== undefined) where.push(Prisma.sql`m.location = ${query.location}`);
  if (query.group !== undefined) where.push(Prisma.sql`m."group" = ${query.group}`);
  const statusFilter = query.status ? Prisma.sql`WHERE ${STATUS_FILTER[query.status]}` : Prisma.empty;

  // takenAt is a UTC timestamp without zone: local midnight → timestamptz → UTC wall time.
  const rowsPromise = prisma.$queryRaw<FleetRow[]>`
    WITH fleet AS (
      SELECT m.id, m.name, m.location, m."group", m.kind::text AS kind, m.unit, m.digits, m.decimals,
             m."timeZone" AS time_zone, m."archivedAt" AS archived_at,
             lr.id AS reading_id, lr.value, lr.status::text AS status, lr.confidence, lr."takenAt" AS taken_at,
             coalesce(td.total, 0)::float8 AS today,
             coalesce(cam.health, 'none') AS health, coalesce(cam.devices, 0)::int AS devices,
             cam.last_seen_at, cam.camera_error,
             coalesce(al.n, 0)::int AS alarms
      FROM "Meter" m
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
      LEFT JOIN LATERAL (${cameraHealthSql(now)}
      ) cam ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM "Alarm" a WHERE a."meterId" = m.id AND a.status = 'active'
      ) al ON true
      WHERE ${Prisma.join(where, ' AND ')}
    )
    SELECT *, (count(*) OVER ())::int AS total FROM fleet
    ${statusFilter}
    ORDER BY ${ORDER[query.sort]}
    LIMIT ${pageSize} OFFSET ${offset}`;

  const facetsPromise = prisma.$queryRaw<{ kind: 'location' | 'group'; value: string }[]>`
    SELECT DISTINCT 'location' AS kind, location AS value FROM "Meter" WHERE "orgId" = ${orgId} AND location <> ''
    UNION
    SELECT DISTINCT 'group', "group" FROM "Meter" WHERE "orgId" = ${orgId} AND "group" IS NOT NULL
    ORDER BY 1, 2`;

  const [rows, facets] = await Promise.all([rowsPromise, facetsPromise]);
  const sparklines = await hourlyConsumption(
    prisma,
    rows.map((r) => r.id),
    now,
  );

  // A page past the end (e.g. after filtering) reports the real total via a count-only query.
  const total = rows[0]?.total ?? (offset > 0 ? await countFleet(prisma, orgId, query, now) : 0);

  return {
    tiles: rows.map((r) => ({
      id: r.id,
      name: r.name,
      location: r.location,
      group: r.group,
      kind: r.kind,
      unit: r.unit,
      digits: r.digits,
      decimals: r.decimals,
      timeZone: r.time_zone,
      archivedAt: r.archived_at,
      latest:
        r.reading_id && r.status && r.taken_at
          ? {
              id: r.reading_id,
              value: r.value,
              status: r.status,
              confidence: r.confidence ?? 0,
              takenAt: r.taken_at,
            }
          : null,
      today: r.today,
      camera: { health: r.health, devices: r.devices, lastSeenAt: r.last_seen_at, error: r.camera_error },
      activeAlarms: r.alarms,
      sparkline: sparklines.get(r.id) ?? new Array<number>(24).fill(0),
    })),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    locations: facets.filter((f) => f.kind === 'location').map((f) => f.value),
    groups: facets.filter((f) => f.kind === 'group').map((f) => f.value),
  };
}

async function countFleet(
  prisma: PrismaClient,
  orgId: string,
  query: FleetQuery,
  now: Date,
): Promise<number> {
  const first = await listFleetPage(prisma, orgId, { ...query, page: 1 }, { now, pageSize: 1 });
  return first.total;
}

/** Consumption per hour for the 24 hours up to `now` (hour buckets, 24 values, oldest first) per meter. */
export async function hourlyConsumption(
  prisma: PrismaClient,
  meterIds: string[],
  now: Date,
): Promise<Map<string, number[]>> {
  const result = new Map<string, number[]>();
  if (meterIds.length === 0) return result;
  const lastHour = Math.floor(now.getTime() / 3_600_000);
  const since = new Date((lastHour - 23) * 3_600_000).toISOString();
  const at = now.toISOString();
  const rows = await prisma.$queryRaw<{ meter_id: string; hour: number; total: number }[]>`
    SELECT "meterId" AS meter_id,
           floor(extract(epoch FROM "takenAt") / 3600)::int AS hour,
           sum(consumption)::float8 AS total
    FROM "Reading"
    WHERE "meterId" = ANY(${meterIds}::text[]) AND status IN ('accepted', 'corrected')
      AND "takenAt" >= ${since}::timestamptz AT TIME ZONE 'UTC' AND "takenAt" <= ${at}::timestamptz AT TIME ZONE 'UTC'
    GROUP BY 1, 2`;
  for (const id of meterIds) result.set(id, new Array<number>(24).fill(0));
  for (const row of rows) {
    const slot = row.hour - (lastHour - 23);
    const series = result.get(row.meter_id);
    if (series && slot >= 0 && slot < 24) series[slot] = row.total ?? 0;
  }
  return result;
}
