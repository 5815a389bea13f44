/** Pure formatting helpers shared by server and client components. */

export type ConfidenceLevel = 'high' | 'medium' | 'low';

/** Green ≥ 0.8, amber ≥ 0.6, red below: the colours of digit boxes and confidence figures. */
export function confidenceLevel(confidence: number): ConfidenceLevel {
  if (confidence >= 0.8) return 'high';
  if (confidence >= 0.6) return 'medium';
  return 'low';
}

export function formatPercent(confidence: number): string {
  return `${Math.round(confidence * 100)} %`;
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

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago". */
export function formatRelative(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60), 'minute');
}

const absolute = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'UTC',
});

/** "24 Nov 2026, 17:44:27 UTC": unambiguous for operators in any time zone. */
export function formatAbsolute(date: Date): string {
  return `${absolute.format(date)} UTC`;
}

export const KIND_LABEL: Record<string, string> = {
  water: 'Cold water',
  hot_water: 'Hot water',
  heat: 'Heat',
  gas: 'Gas',
};

export const STATUS_LABEL: Record<string, string> = {
  accepted: 'Accepted',
  corrected: 'Corrected',
  needs_review: 'Needs review',
  rejected: 'Rejected',
};

/** "m3" → "m³", the way operators write it. */
export function formatUnit(unit: string): string {
  return unit.replace(/([a-z])([23])\b/g, (_, u: string, p: string) => `${u}${p === '2' ? '²' : '³'}`);
}

/** A consumption figure with at most 3 decimals and thousands separators: "1,234.5". */
export function formatAmount(value: number): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: 3 });
}
