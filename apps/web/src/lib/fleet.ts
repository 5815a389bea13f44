import type { PrismaClient } from '@metertwin/db';
import { z } from 'zod';
import { cameraSummary, type CameraSummary } from './camera-health';
import { findFleetFacets, findFleetRows, findHourlyConsumption } from './fleet.repository';
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
  camera: CameraSummary;
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

export async function listFleetPage(
  prisma: PrismaClient,
  orgId: string,
  query: FleetQuery,
  options: { now?: Date; pageSize?: number } = {},
): Promise<FleetPage> {
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? FLEET_PAGE_SIZE;
  const offset = (query.page - 1) * pageSize;
  const filter = { ...query, archived: query.archived === '1' };
  const [rows, facets] = await Promise.all([
    findFleetRows(prisma, orgId, filter, { now, limit: pageSize, offset }),
    findFleetFacets(prisma, orgId),
  ]);
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
      camera: cameraSummary(r),
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
  const since = new Date((lastHour - 23) * 3_600_000);
  const rows = await findHourlyConsumption(prisma, meterIds, since, now);
  for (const id of meterIds) result.set(id, new Array<number>(24).fill(0));
  for (const row of rows) {
    const slot = row.hour - (lastHour - 23);
    const series = result.get(row.meter_id);
    if (series && slot >= 0 && slot < 24) series[slot] = row.total ?? 0;
  }
  return result;
}
