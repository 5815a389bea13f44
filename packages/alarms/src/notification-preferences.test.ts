import { describe, expect, it } from 'vitest';
import { channelsFor, DEFAULT_PREFERENCES, effectivePreferences } from './notification-preferences.js';

describe('channelsFor', () => {
  it('defaults to push and web push for critical and major, nothing for minor and warning', () => {
    expect(channelsFor(null, 'critical')).toEqual(['fcm', 'webpush']);
    expect(channelsFor(null, 'major')).toEqual(['fcm', 'webpush']);
    expect(channelsFor(null, 'minor')).toEqual([]);
  });

  it('uses the preference per severity, keeps defaults for the ones left out, ignores unknown channels', () => {
    const preference = { channels: { minor: ['webpush', 'sms'], critical: [] } };
    expect(channelsFor(preference, 'minor')).toEqual(['webpush']);
    expect(channelsFor(preference, 'critical')).toEqual([]);
    expect(channelsFor(preference, 'major')).toEqual(['fcm', 'webpush']);
    expect(channelsFor({ channels: 'garbage' }, 'major')).toEqual(['fcm', 'webpush']);
  });
});

describe('effectivePreferences (what the portal shows is what notify applies)', () => {
  const row = { quietStart: '22:00', quietEnd: '07:00', timeZone: 'Europe/Berlin', digestMinutes: 30 };

  it('reads the channels as channelsFor does, severity by severity', () => {
    const channels = { minor: ['webpush', 'sms'], critical: [] };
    expect(effectivePreferences({ ...row, channels })).toEqual({
      ...row,
      channels: { critical: [], major: ['fcm', 'webpush'], minor: ['webpush'], warning: [] },
    });
  });

  it('gives the defaults without a row or for an unreadable one', () => {
    expect(effectivePreferences(null)).toEqual(DEFAULT_PREFERENCES);
    expect(effectivePreferences({ ...row, timeZone: 'Mars/Olympus', channels: {} })).toEqual(
      DEFAULT_PREFERENCES,
    );
  });
});
