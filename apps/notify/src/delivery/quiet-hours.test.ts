import { describe, expect, it } from 'vitest';
import { quietUntil } from './quiet-hours.js';

describe('quietUntil', () => {
  const night = { quietStart: '22:00', quietEnd: '07:00', timeZone: 'Europe/Berlin' };

  it('holds until the end of a window that spans midnight, in the user\'s time zone', () => {
    // 23:30 in Berlin (UTC+1 in January) → 07:00 Berlin the next morning = 06:00 UTC.
    expect(quietUntil(new Date('2026-01-15T22:30:00Z'), night)).toEqual(new Date('2026-01-16T06:00:00Z'));
    // 03:15:42 Berlin → 07:00 the same morning.
    expect(quietUntil(new Date('2026-01-16T02:15:42.500Z'), night)).toEqual(new Date('2026-01-16T06:00:00Z'));
  });

  it('is undefined outside the window, at its end, and without (valid) quiet hours', () => {
    expect(quietUntil(new Date('2026-01-16T12:00:00Z'), night)).toBeUndefined();
    expect(quietUntil(new Date('2026-01-16T06:00:00Z'), night)).toBeUndefined();
    expect(quietUntil(new Date('2026-01-16T02:00:00Z'), { ...night, quietStart: null })).toBeUndefined();
    expect(quietUntil(new Date('2026-01-16T02:00:00Z'), { ...night, quietEnd: '7:00' })).toBeUndefined();
    expect(quietUntil(new Date('2026-01-16T02:00:00Z'), { ...night, quietEnd: '22:00' })).toBeUndefined();
  });

  it('lands on the local end time across a daylight-saving change', () => {
    // Berlin springs forward on 2026-03-29 at 02:00 (UTC+1 → UTC+2): 07:00 local is 05:00 UTC.
    expect(quietUntil(new Date('2026-03-28T23:00:00Z'), night)).toEqual(new Date('2026-03-29T05:00:00Z'));
    // And falls back on 2026-10-25 at 03:00 (UTC+2 → UTC+1): 07:00 local is 06:00 UTC.
    expect(quietUntil(new Date('2026-10-24T22:00:00Z'), night)).toEqual(new Date('2026-10-25T06:00:00Z'));
  });

  it('counts an unknown time zone as UTC and handles a same-day window', () => {
    const day = { quietStart: '12:00', quietEnd: '14:00', timeZone: 'Mars/Olympus' };
    expect(quietUntil(new Date('2026-01-16T13:00:00Z'), day)).toEqual(new Date('2026-01-16T14:00:00Z'));
    expect(quietUntil(new Date('2026-01-16T11:59:00Z'), day)).toBeUndefined();
  });
});
