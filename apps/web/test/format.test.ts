import { describe, expect, it } from 'vitest';
import { confidenceLevel, counterDrums, formatRelative, formatUnit } from '../src/lib/format';
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

  it('says how long ago', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(formatRelative(new Date('2026-11-24T11:59:50Z'), now)).toBe('just now');
    expect(formatRelative(new Date('2026-11-24T11:55:00Z'), now)).toBe('5 minutes ago');
    expect(formatRelative(new Date('2026-11-24T09:00:00Z'), now)).toBe('3 hours ago');
    expect(formatRelative(new Date('2026-11-23T12:00:00Z'), now)).toBe('yesterday');
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
