import type { CounterShape } from './assemble.js';
import { fromTicks, signedStep, toTicks } from './counter.js';

/** A counter value and when the photo was taken. */
export interface TimedValue {
  numeric: number;
  takenAt: Date;
}

export interface Consumption {
  /** Counter units used between the two readings, across a wrap if the counter passed its maximum. */
  consumption: number;
  hours: number;
  /** Consumption per hour; null when the readings were taken at the same time or out of order. */
  flowPerHour: number | null;
}

const MS_PER_HOUR = 3_600_000;

export function deriveConsumption(
  previous: TimedValue,
  current: TimedValue,
  shape: CounterShape,
): Consumption {
  const ticks = signedStep(toTicks(previous.numeric, shape), toTicks(current.numeric, shape), shape);
  const consumption = fromTicks(ticks, shape);
  const hours = (current.takenAt.getTime() - previous.takenAt.getTime()) / MS_PER_HOUR;
  return { consumption, hours, flowPerHour: hours > 0 ? consumption / hours : null };
}
