import { describe, expect, it } from 'vitest';
import { localTime, periodStart, TimeZoneSchema } from './zoned-time.js';

const start = (at: string, period: 'hour' | 'day' | 'week' | 'month', zone: string) => periodStart(new Date(at), period, zone).toISOString();

describe('zoned time', () => {
  it('aligns days, weeks and months to local midnight, across DST changes', () => {
    // Berlin moves to summer time on 2026-03-29: that day starts at +01:00, the next at +02:00.
    expect(start('2026-03-29T12:00:00Z', 'day', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(start('2026-03-30T12:00:00Z', 'day', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
    // 2026-04-02 is a Thursday; its week started on Monday 2026-03-30, already summer time.
    expect(start('2026-04-02T10:00:00Z', 'week', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
    // New York leaves summer time on 2026-11-01 at 02:00, after that month has begun at -04:00.
    expect(start('2026-11-20T12:00:00Z', 'month', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    // Local midnight of 1 January is still 31 December in UTC.
    expect(start('2026-01-01T00:30:00Z', 'month', 'Europe/Berlin')).toBe('2025-12-31T23:00:00.000Z');
  });

  it('aligns hours to the local clock, also in zones with half-hour offsets', () => {
    expect(start('2026-06-01T10:45:12Z', 'hour', 'Asia/Kolkata')).toBe('2026-06-01T10:30:00.000Z');
    expect(start('2026-06-01T10:45:12Z', 'hour', 'UTC')).toBe('2026-06-01T10:00:00.000Z');
  });

  it('reads wall-clock fields with Monday as weekday 0', () => {
    expect(localTime(new Date('2026-03-29T22:30:00Z'), 'Europe/Berlin')).toEqual({ year: 2026, month: 3, day: 30, hour: 0, minute: 30, second: 0, weekday: 0 });
  });

  it('accepts IANA zone names only', () => {
    expect(TimeZoneSchema.safeParse('Europe/Berlin').success).toBe(true);
    expect(TimeZoneSchema.safeParse('Mars/Olympus_Mons').success).toBe(false);
  });
});
