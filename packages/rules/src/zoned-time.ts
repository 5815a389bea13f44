import { z } from 'zod';
import { DAY_MS, HOUR_MS } from './series.js';

/** Wall-clock fields of an instant in a time zone; month 1–12, weekday 0 = Monday … 6 = Sunday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export const TimeZoneSchema = z.string().refine(isTimeZone, { message: 'not an IANA time zone, e.g. "Europe/Berlin"', params: { code: 'not-a-time-zone' } });

export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
function offsetAt(at: number, timeZone: string): number {
  const t = localTime(new Date(at), timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - Math.floor(at / 1000) * 1000;
}

/** The instant at which the zone's wall clock shows midnight of the given date (month 1–12, day may overflow). */
function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  const guess = wall - offsetAt(wall, timeZone);
  // The offset at the guess may differ from the offset at the answer when a DST change lies between.
  return new Date(wall - offsetAt(guess, timeZone));
}

export const PeriodSchema = z.enum(['hour', 'day', 'week', 'month']);
export type Period = z.infer<typeof PeriodSchema>;

/** Upper bound of a period's length, DST included. */
export const LONGEST_PERIOD_MS: Record<Period, number> = {
  hour: HOUR_MS,
  day: DAY_MS + HOUR_MS,
  week: 7 * DAY_MS + HOUR_MS,
  month: 31 * DAY_MS + HOUR_MS,
};

/** Start of the calendar hour, day, week (Monday) or month containing `at`, in the time zone. */
export function periodStart(at: Date, period: Period, timeZone: string): Date {
  const t = localTime(at, timeZone);
  switch (period) {
    case 'hour':
      // Subtracting the wall-clock minutes is exact even in an hour that a DST change repeats.
      return new Date(Math.floor(at.getTime() / 1000) * 1000 - (t.minute * 60 + t.second) * 1000);
    case 'day':
      return localMidnight(t.year, t.month, t.day, timeZone);
    case 'week':
      return localMidnight(t.year, t.month, t.day - t.weekday, timeZone);
    case 'month':
      return localMidnight(t.year, t.month, 1, timeZone);
  }
}

/** "HH:MM" on a 24-hour clock, as minutes since midnight. */
export const ClockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as "HH:MM", e.g. "01:00"')
  .transform((hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));

/** Minutes since local midnight. */
export function minuteOfDay(at: Date, timeZone: string): number {
  const t = localTime(at, timeZone);
  return t.hour * 60 + t.minute;
}
