import { z } from 'zod';
import type { Severity } from '@metertwin/db';

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

const ChannelList = z.array(z.string()).transform((list) => list.filter((c): c is PersonalChannel => c === 'fcm' || c === 'webpush'));
/** NotificationPreference.channels: `{ "critical": ["fcm", "webpush"], "minor": [] }`; a severity left out keeps its default. */
const ChannelsSchema = z.object({
  critical: ChannelList.optional(),
  major: ChannelList.optional(),
  minor: ChannelList.optional(),
  warning: ChannelList.optional(),
});

export interface Preference {
  channels: unknown;
  quietStart: string | null;
  quietEnd: string | null;
  timeZone: string;
  digestMinutes: number;
}

/** The personal channels a severity reaches; an unreadable preference falls back to the defaults. */
export function channelsFor(preference: Pick<Preference, 'channels'> | null, severity: Severity): PersonalChannel[] {
  if (!preference) return DEFAULT_CHANNELS[severity];
  const parsed = ChannelsSchema.safeParse(preference.channels);
  if (!parsed.success) return DEFAULT_CHANNELS[severity];
  return [...new Set(parsed.data[severity] ?? DEFAULT_CHANNELS[severity])];
}

const SEVERITY_RANK: Record<Severity, number> = { warning: 0, minor: 1, major: 2, critical: 3 };

/** True when `severity` is at least `minimum` (warning < minor < major < critical). */
export const atLeast = (severity: Severity, minimum: Severity) => SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];
