/** The history chart's ranges, shared by the data module and the client chart (no server imports). */
export const HISTORY_RANGES = {
  hour: { buckets: 48, label: '48 hours', per: 'hour' },
  day: { buckets: 60, label: '60 days', per: 'day' },
  month: { buckets: 24, label: '24 months', per: 'month' },
} as const;

export type HistoryRange = keyof typeof HISTORY_RANGES;

export const HISTORY_RANGE_KEYS = Object.keys(HISTORY_RANGES) as HistoryRange[];
