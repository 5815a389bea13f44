import { z } from 'zod';

/** A browser's push subscription as PushSubscription.toJSON() gives it. */
export const WebPushSubscriptionSchema = z.object({
  endpoint: z
    .url()
    .max(2000)
    .refine((u) => u.startsWith('https://'), 'must be an https push service URL'),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{40,200}={0,2}$/, 'must be base64url'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{8,100}={0,2}$/, 'must be base64url'),
  }),
});

export const EndpointSchema = z.object({ endpoint: z.url().max(2000) });

/** An FCM registration token from the phone app. */
export const PushDeviceSchema = z.object({
  token: z.string().trim().min(20).max(4096),
  platform: z.enum(['android', 'ios', 'web']).default('android'),
});
export const PushTokenSchema = z.object({ token: z.string().trim().min(1).max(4096) });

const Channel = z.enum(['fcm', 'webpush']);
const ChannelList = z
  .array(Channel)
  .max(2)
  .transform((l) => [...new Set(l)]);
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00–23:59)');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * NotificationPreference as the portal edits it (notify reads the same shape): channels per
 * severity, quiet hours in a time zone (both ends or neither), digest window.
 */
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
    timeZone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
    digestMinutes: z.number().int().min(0).max(1440),
  })
  .refine((p) => (p.quietStart === null) === (p.quietEnd === null), {
    message: 'quiet hours need both quietStart and quietEnd (or neither)',
    path: ['quietEnd'],
  });
export type Preferences = z.infer<typeof PreferencesSchema>;

/** What a user without a preference row gets (the same as notify's defaults). */
export const DEFAULT_PREFERENCES: Preferences = {
  channels: { critical: ['fcm', 'webpush'], major: ['fcm', 'webpush'], minor: [], warning: [] },
  quietStart: null,
  quietEnd: null,
  timeZone: 'UTC',
  digestMinutes: 60,
};
