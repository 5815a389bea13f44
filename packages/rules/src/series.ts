import type { HistoryReading, RuleReading } from './plugin.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A reading whose value can be trusted: accepted by recognition or corrected by a person. */
export type UsableReading = HistoryReading & { numeric: number };

export function isUsable(reading: HistoryReading): reading is UsableReading {
  return reading.numeric !== null && (reading.status === 'accepted' || reading.status === 'corrected');
}

/**
 * The usable readings of the history followed by the reading being evaluated, or undefined when
 * there is no reading or its value cannot be trusted (nothing to judge).
 */
export function usableSeries(reading: RuleReading | undefined, history: readonly HistoryReading[] = []): UsableReading[] | undefined {
  if (!reading || !isUsable(reading)) return undefined;
  return [...history.filter(isUsable), reading];
}

/** Average flow in units per hour between two readings. */
export function flowPerHour(from: UsableReading, to: UsableReading): number {
  return (to.numeric - from.numeric) / ((to.takenAt.getTime() - from.takenAt.getTime()) / HOUR_MS);
}

/** Rounds for messages: meters show at most a few decimals. */
export function round(value: number, decimals = 3): number {
  return Number(value.toFixed(decimals));
}
