/** The history chart's ranges, shared by the data module and the client chart (no server imports). */
export const HISTORY_RANGES = {
  hour: { buckets: 48 },
  day: { buckets: 60 },
  month: { buckets: 24 },
} as const;

export type HistoryRange = keyof typeof HISTORY_RANGES;

export const HISTORY_RANGE_KEYS = Object.keys(HISTORY_RANGES) as HistoryRange[];
