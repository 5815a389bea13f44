import type { HistoryReading, RuleReading } from './plugin.js';
import { usableSeries, type UsableReading } from './series.js';
import { periodStart, type Period } from './zoned-time.js';

/**
 * What the counter advanced between `start` and the last reading of the series (ascending, usable).
 * The counter value at `start` is interpolated between the readings around it; without a reading
 * before `start` the first reading of the period stands in for it. Undefined when the last reading
 * is the only one in reach.
 */
export function consumptionSince(series: readonly UsableReading[], start: Date): number | undefined {
  const last = series.at(-1);
  if (!last) return undefined;
  const startMs = start.getTime();
  const firstAfter = series.findIndex((r) => r.takenAt.getTime() > startMs);
  if (firstAfter === -1) return 0; // nothing read since the period began
  const after = series[firstAfter]!;
  const before = series[firstAfter - 1];
  if (!before) return after === last ? undefined : last.numeric - after.numeric;
  const fraction = (startMs - before.takenAt.getTime()) / (after.takenAt.getTime() - before.takenAt.getTime());
  return last.numeric - (before.numeric + (after.numeric - before.numeric) * fraction);
}

/**
 * What the meter used in the calendar period (in `timeZone`) of the reading, and when that period
 * began, from the reading and the history before it; undefined when there is too little to tell.
 */
export function consumptionInPeriod(
  reading: RuleReading | undefined,
  history: readonly HistoryReading[] | undefined,
  period: Period,
  timeZone: string,
): { used: number; start: Date } | undefined {
  const series = usableSeries(reading, history);
  if (!reading || !series) return undefined;
  const start = periodStart(reading.takenAt, period, timeZone);
  const used = consumptionSince(series, start);
  return used === undefined ? undefined : { used, start };
}
