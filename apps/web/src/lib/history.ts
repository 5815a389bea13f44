/** The history chart's ranges, shared by the data module and the client chart (no server imports). */
export const HISTORY_RANGES = {
  hour: { buckets: 48, label: '48 hours', per: 'hour' },
  day: { buckets: 60, label: '60 days', per: 'day' },
  month: { buckets: 24, label: '24 months', per: 'month' },
} as const;

export type HistoryRange = keyof typeof HISTORY_RANGES;

export const HISTORY_RANGE_KEYS = Object.keys(HISTORY_RANGES) as HistoryRange[];

/** The first bucket of `range`, so that the last one holds `now` (UTC). */
export function historyStart(range: HistoryRange, now: Date): Date {
  const n = HISTORY_RANGES[range].buckets - 1;
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (range === 'hour') return new Date(Date.UTC(y, m, d, now.getUTCHours() - n));
  if (range === 'day') return new Date(Date.UTC(y, m, d - n));
  return new Date(Date.UTC(y, m - n, 1));
}

/** The start of the bucket after the one starting at `start`. */
export function bucketEnd(range: HistoryRange, start: Date): Date {
  if (range === 'hour') return new Date(start.getTime() + 3_600_000);
  if (range === 'day') return new Date(start.getTime() + 86_400_000);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}
