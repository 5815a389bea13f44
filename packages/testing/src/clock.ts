const DAY_MS = 24 * 3_600_000;

/**
 * A Monday at `hour`:00 UTC four to five weeks ago, in ms: a start for uploaded frame times that
 * stays inside ingest's accepted X-Taken-At window (the past year) however long the tests live.
 */
export function recentMondayUtc(hour: number, now = Date.now()): number {
  const midnight = Math.floor(now / DAY_MS) * DAY_MS - 28 * DAY_MS;
  const weekday = new Date(midnight).getUTCDay(); // 0 Sunday … 6 Saturday
  return midnight - ((weekday + 6) % 7) * DAY_MS + hour * 3_600_000;
}
