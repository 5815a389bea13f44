import { z } from 'zod';
import type { Severity } from '@metertwin/db';
import { isTimeZone } from '@metertwin/rules';

/**
 * A person's notification preferences (NotificationPreference): the portal writes them, notify's
 * planner reads them; both through this module, so the defaults and the reading of a stored row are
 * the same on both sides.
 */

/** The channels a person is reached on (Slack is an organization's channel, see SlackChannel). */
export const PersonalChannel = { Fcm: 'fcm', WebPush: 'webpush' } as const;
export type PersonalChannel = (typeof PersonalChannel)[keyof typeof PersonalChannel];
export const SlackChannelName = 'slack';

/** Without a preference row: critical and major alarms reach every phone and browser of the user. */
export const DEFAULT_CHANNELS: Record<Severity, PersonalChannel[]> = {
  critical: ['fcm', 'webpush'],
  major: ['fcm', 'webpush'],
  minor: [],
  warning: [],
};

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00–23:59)');

const ChannelList = z
  .array(z.enum([PersonalChannel.Fcm, PersonalChannel.WebPush]))
  .max(2)
  .transform((l) => [...new Set(l)]);

/** What a person saves: channels per severity, quiet hours in a time zone (both ends or neither), digest window. */
export const PreferencesSchema = z
  .object({
    channels: z.object({
      critical: ChannelList,
      major: ChannelList,
      minor: ChannelList,
      warning: ChannelList,
    }),
    quietStart: HHMM.nullable(),
    quietEnd: HHMM.nullable(),
    timeZone: z.string().max(64).refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin', params: { code: 'not-a-time-zone' } }),
    digestMinutes: z.number().int().min(0).max(1440),
  })
  .refine((p) => (p.quietStart === null) === (p.quietEnd === null), {
    message: 'quiet hours need both quietStart and quietEnd (or neither)',
    path: ['quietEnd'],
    params: { code: 'quiet-hours-incomplete' },
  });
export type Preferences = z.infer<typeof PreferencesSchema>;

/** What a user without a preference row gets. */
export const DEFAULT_PREFERENCES: Preferences = {
  channels: DEFAULT_CHANNELS,
  quietStart: null,
  quietEnd: null,
  timeZone: 'UTC',
  digestMinutes: 60,
};

/** A stored NotificationPreference row (its channels are JSON). */
export interface Preference {
  channels: unknown;
  quietStart: string | null;
  quietEnd: string | null;
  timeZone: string;
  digestMinutes: number;
}

const StoredChannelList = z
  .array(z.string())
  .transform((list) => list.filter((c): c is PersonalChannel => c === 'fcm' || c === 'webpush'));
/** NotificationPreference.channels: `{ "critical": ["fcm", "webpush"], "minor": [] }`; a severity left out keeps its default. */
const StoredChannelsSchema = z.object({
  critical: StoredChannelList.optional(),
  major: StoredChannelList.optional(),
  minor: StoredChannelList.optional(),
  warning: StoredChannelList.optional(),
});

/** The personal channels a severity reaches; an unreadable preference falls back to the defaults. */
export function channelsFor(
  preference: Pick<Preference, 'channels'> | null,
  severity: Severity,
): PersonalChannel[] {
  if (!preference) return DEFAULT_CHANNELS[severity];
  const parsed = StoredChannelsSchema.safeParse(preference.channels);
  if (!parsed.success) return DEFAULT_CHANNELS[severity];
  return [...new Set(parsed.data[severity] ?? DEFAULT_CHANNELS[severity])];
}

/** The preferences in effect for a stored row (what notify does with it); the defaults when unreadable. */
export function effectivePreferences(row: Preference | null): Preferences {
  if (!row) return DEFAULT_PREFERENCES;
  const severities = Object.keys(DEFAULT_CHANNELS) as Severity[];
  const channels = Object.fromEntries(
    severities.map((s) => [s, channelsFor(row, s)]),
  ) as Preferences['channels'];
  const parsed = PreferencesSchema.safeParse({ ...row, channels });
  return parsed.success ? parsed.data : DEFAULT_PREFERENCES;
}

const SEVERITY_RANK: Record<Severity, number> = { warning: 0, minor: 1, major: 2, critical: 3 };

/** True when `severity` is at least `minimum` (warning < minor < major < critical). */
export const atLeast = (severity: Severity, minimum: Severity) =>
  SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];
