import { describe, expect, it } from 'vitest';
import {
  confidenceLevel,
  counterDrums,
  formatAbsolute,
  formatAmount,
  formatPercent,
  formatRelative,
  formatUnit,
} from '../src/lib/format';
import { parseWebEnv } from '../src/lib/config';

describe('format', () => {
  it('colours confidence green from 0.8, amber from 0.6, red below', () => {
    expect([0.95, 0.8, 0.79, 0.6, 0.59, 0].map(confidenceLevel)).toEqual([
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
    ]);
  });

  it('splits a reading into integer and decimal drums, and keeps the shape of an unreadable one', () => {
    expect(
      counterDrums('01234.567', { digits: 8, decimals: 3 })
        .map((d) => `${d.char}${d.decimal ? 'r' : ''}`)
        .join(' '),
    ).toBe('0 1 2 3 4 5r 6r 7r');
    expect(counterDrums(null, { digits: 4, decimals: 1 }).map((d) => d.decimal)).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it('says how long ago, in the portal language (just now is a message: null)', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(formatRelative(new Date('2026-11-24T11:59:50Z'), now, 'en')).toBeNull();
    expect(formatRelative(new Date('2026-11-24T11:55:00Z'), now, 'en')).toBe('5 minutes ago');
    expect(formatRelative(new Date('2026-11-24T09:00:00Z'), now, 'en')).toBe('3 hours ago');
    expect(formatRelative(new Date('2026-11-23T12:00:00Z'), now, 'en')).toBe('yesterday');
    expect(formatRelative(new Date('2026-11-24T11:55:00Z'), now, 'ko')).toBe('5분 전');
    expect(formatRelative(new Date('2026-11-23T12:00:00Z'), now, 'ko')).toBe('어제');
  });

  it('writes dates with their zone and numbers with the locale separators', () => {
    const at = new Date('2026-11-24T17:44:27Z');
    expect(formatAbsolute(at, 'en')).toBe('24 Nov 2026, 17:44:27 UTC');
    expect(formatAbsolute(at, 'ko')).toBe('2026년 11월 24일 17시 44분 27초 UTC');
    // a meter's own zone: Seoul is already the next day
    expect(formatAbsolute(at, 'ko', 'Asia/Seoul')).toBe('2026년 11월 25일 02시 44분 27초 GMT+9');
    expect(formatAmount(1234.5678, 'en')).toBe('1,234.568');
    expect(formatAmount(1234.5678, 'ko')).toBe('1,234.568');
    expect(formatPercent(0.954, 'ko')).toBe('95%');
    expect(formatPercent(0.954, 'en')).toBe('95 %');
  });

  it('writes cubic metres as m³', () => {
    expect(formatUnit('m3')).toBe('m³');
    expect(formatUnit('kWh')).toBe('kWh');
  });
});

describe('config', () => {
  it('lists every problem of a bad environment in one message', () => {
    expect(() => parseWebEnv({ REDIS_URL: 'nope' })).toThrow(/DATABASE_URL: .*\n.*REDIS_URL: must be a URL/s);
  });

  it('requires a secrets key, with no default', () => {
    expect(() => parseWebEnv({ DATABASE_URL: 'postgresql://u@h:5432/db' })).toThrow(/SECRETS_KEY: is required/);
    expect(() => parseWebEnv({ DATABASE_URL: 'postgresql://u@h:5432/db', SECRETS_KEY: 'change-me' })).toThrow(
      /SECRETS_KEY: must be 32 random bytes/,
    );
  });

  it('defaults Redis and the storage directory', () => {
    const env = parseWebEnv({ DATABASE_URL: 'postgresql://u@h:5432/db', SECRETS_KEY: process.env.SECRETS_KEY });
    expect(env).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      STORAGE_DIR: './var/captures',
      S3_FORCE_PATH_STYLE: false,
    });
  });
});
