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
