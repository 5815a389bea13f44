const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY = 24 * 60;

export interface QuietHours {
  quietStart: string | null;
  quietEnd: string | null;
  timeZone: string;
}

/** Minutes since local midnight of `at` in `timeZone`, with the seconds as a fraction. */
function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute') + (get('second') + at.getUTCMilliseconds() / 1000) / 60;
}

function validTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

const toMinutes = (hhmm: string) => {
  const m = HHMM.exec(hhmm)!;
  return Number(m[1]) * 60 + Number(m[2]);
};

/**
 * When `at` falls in the quiet hours (`quietStart`–`quietEnd`, local "HH:MM" in `timeZone`, the
 * window may span midnight), the instant they end; undefined outside them or without (valid) quiet
 * hours. An unknown time zone counts as UTC.
 */
export function quietUntil(at: Date, { quietStart, quietEnd, timeZone }: QuietHours): Date | undefined {
  if (!quietStart || !quietEnd || !HHMM.test(quietStart) || !HHMM.test(quietEnd)) return undefined;
  const start = toMinutes(quietStart);
  const end = toMinutes(quietEnd);
  if (start === end) return undefined;
  const zone = validTimeZone(timeZone);
  const now = localMinutes(at, zone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return undefined;
  let until = new Date(at.getTime() + (((end - now + DAY) % DAY) * 60_000));
  // A daylight-saving change inside the window moves the wall clock: land on quietEnd's local time.
  const drift = ((end - localMinutes(until, zone) + DAY + DAY / 2) % DAY) - DAY / 2;
  if (Math.abs(drift) >= 1) until = new Date(until.getTime() + Math.round(drift) * 60_000);
  return new Date(Math.round(until.getTime() / 60_000) * 60_000);
}
