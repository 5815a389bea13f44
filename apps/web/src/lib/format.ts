/** Pure formatting helpers shared by server and client components; words come from the messages. */

import { intlLocale } from '../i18n/locales';

export type ConfidenceLevel = 'high' | 'medium' | 'low';

/** Green ≥ 0.8, amber ≥ 0.6, red below: the colours of digit boxes and confidence figures. */
export function confidenceLevel(confidence: number): ConfidenceLevel {
  if (confidence >= 0.8) return 'high';
  if (confidence >= 0.6) return 'medium';
  return 'low';
}

export interface CounterDrum {
  char: string;
  /** After the decimal point: drawn red, like the sub-unit drums of a real meter. */
  decimal: boolean;
}

/**
 * Splits a reading ("01234.567") into drums as the counter shows them. A missing value gives one
 * blank drum per digit of the meter, so an unreadable reading keeps the counter's shape.
 */
export function counterDrums(
  value: string | null,
  shape: { digits: number; decimals: number },
): CounterDrum[] {
  if (value === null) {
    return Array.from({ length: shape.digits }, (_, i) => ({
      char: '–',
      decimal: i >= shape.digits - shape.decimals,
    }));
  }
  const [integer = '', fraction = ''] = value.split('.');
  return [
    ...[...integer].map((char) => ({ char, decimal: false })),
    ...[...fraction].map((char) => ({ char, decimal: true })),
  ];
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** Under this many seconds a time is "just now" (a message: see RelativeTime). */
export const JUST_NOW_S = 45;

/** "5 minutes ago", "yesterday", "3주 전"; null when it is just now. */
export function formatRelative(date: Date, now: Date, locale: string): string | null {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < JUST_NOW_S) return null;
  const relative = new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60), 'minute');
}

/**
 * "24 Nov 2026, 17:44:27 UTC" / "2026년 11월 24일 17시 44분 27초 UTC": unambiguous, with its zone
 * (UTC unless a meter's own zone is given).
 */
export function formatAbsolute(date: Date, locale: string, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}

/** A whole percentage as each language writes it: "95 %" (the portal's English), "95%" (Korean). */
export function formatPercent(confidence: number, locale: string): string {
  const percent = Math.round(confidence * 100);
  return locale === 'ko' ? `${percent}%` : `${percent} %`;
}

/** "m3" → "m³", the way operators write it. */
export function formatUnit(unit: string): string {
  return unit.replace(/([a-z])([23])\b/g, (_, u: string, p: string) => `${u}${p === '2' ? '²' : '³'}`);
}

/** A consumption figure with at most 3 decimals and the locale's separators: "1,234.5". */
export function formatAmount(value: number, locale: string): string {
  return value.toLocaleString(intlLocale(locale), { maximumFractionDigits: 3 });
}
