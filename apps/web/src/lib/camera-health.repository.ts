import { Prisma, type PrismaClient } from '@metertwin/db';
import type { CameraHealthRow } from './camera-health';

/** Without a pull interval (a pushing camera), a camera is stale after an hour without a frame. */
export const STALE_PUSH_SECONDS = 3600;

/**
 * The one definition of camera health, used by the fleet list and the meter page. A camera is failing
 * while its last error is newer than the last frame it delivered, stale when no frame came for 3 pull
 * intervals (an hour for a pushing camera) or none yet; the meter shows its worst camera and, of the
 * failing ones, the newest error. SQL, so the fleet list filters, sorts and pages by it in the query.
 * A lateral subquery over the meter `m`: `LEFT JOIN LATERAL (${cameraHealthSql(at)}) cam ON true`
 * gives the CameraHealthRow columns (no row for a meter without a camera: coalesce to 'none').
 */
export function cameraHealthSql(at: Date): Prisma.Sql {
  const now = at.toISOString();
  return Prisma.sql`
    SELECT count(*)::int AS devices,
           max(d."lastSeenAt") AS last_seen_at,
           (array_agg(d."lastError" ORDER BY d."lastErrorAt" DESC NULLS LAST) FILTER (WHERE d.failing))[1] AS camera_error,
           (array_agg(d.name ORDER BY d."lastErrorAt" DESC NULLS LAST) FILTER (WHERE d.failing))[1] AS camera_error_device,
           (array_agg(d."lastErrorAt" ORDER BY d."lastErrorAt" DESC NULLS LAST) FILTER (WHERE d.failing))[1] AS camera_error_at,
           CASE WHEN bool_or(d.failing) THEN 'failing' WHEN bool_or(d.stale) THEN 'stale' ELSE 'online' END AS health
    FROM (
      SELECT dv.*,
             (dv."lastError" IS NOT NULL AND (dv."lastSeenAt" IS NULL OR dv."lastErrorAt" IS NULL OR dv."lastErrorAt" >= dv."lastSeenAt")) AS failing,
             (dv."lastSeenAt" IS NULL OR dv."lastSeenAt" < (${now}::timestamptz AT TIME ZONE 'UTC')
                - make_interval(secs => coalesce(dv."pullIntervalSec" * 3, ${STALE_PUSH_SECONDS}))) AS stale
      FROM "Device" dv WHERE dv."meterId" = m.id
    ) d
    HAVING count(*) > 0`;
}

/** One meter's camera health row; null when the meter has no camera. */
export async function findMeterCameraHealth(
  prisma: PrismaClient,
  meterId: string,
  now: Date,
): Promise<CameraHealthRow | null> {
  const [cam] = await prisma.$queryRaw<CameraHealthRow[]>`
    SELECT cam.* FROM "Meter" m JOIN LATERAL (${cameraHealthSql(now)}) cam ON true WHERE m.id = ${meterId}`;
  return cam ?? null;
}
