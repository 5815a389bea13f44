import { z } from 'zod';

const optional = z.string().trim().min(1).optional();

/**
 * notify's settings for person-facing notifications, merged into NotifyEnvSchema. A channel whose keys
 * are unset is off (its notifications are not planned); half-set keys stop the service at start.
 */
export const DeliveryEnvShape = {
  /** Firebase project whose Cloud Messaging sends the push notifications. */
  FCM_PROJECT_ID: optional,
  /** Path of the Firebase service-account JSON key (Project settings → Service accounts). */
  FCM_CREDENTIALS_FILE: optional,
  /** VAPID key pair and contact (`mailto:` or `https:`); `npx web-push generate-vapid-keys` makes a pair. */
  WEB_PUSH_PUBLIC_KEY: optional,
  WEB_PUSH_PRIVATE_KEY: optional,
  WEB_PUSH_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, 'must start with mailto: or https://')
    .optional(),
  /** Portal address used for the links in notifications (e.g. https://metertwin.example.com). */
  PORTAL_URL: z.url().optional(),
  /** How often held notifications whose time has come are released, in ms. */
  NOTIFY_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  /** Attempts per notification (the first one included) before it is marked failed. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** First retry delay of a failed notification in ms; each further retry waits twice as long. */
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  /** Time a provider (FCM, push service, Slack) has to answer, in ms. */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Repeats of an alarm within this many minutes fold into one Slack digest (users set their own). */
  SLACK_DIGEST_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(60),
};

export type DeliveryEnv = z.infer<z.ZodObject<typeof DeliveryEnvShape>>;

/** Every half-configured channel, named; empty when the delivery settings are consistent. */
export function deliveryConfigProblems(env: DeliveryEnv, fcmCredentialGiven = false): string[] {
  const problems: string[] = [];
  const fcmCredential = Boolean(env.FCM_CREDENTIALS_FILE) || fcmCredentialGiven;
  if (Boolean(env.FCM_PROJECT_ID) !== fcmCredential) {
    problems.push('FCM_PROJECT_ID and FCM_CREDENTIALS_FILE go together (set both to send FCM push, or neither)');
  }
  const vapid = [env.WEB_PUSH_PUBLIC_KEY, env.WEB_PUSH_PRIVATE_KEY, env.WEB_PUSH_SUBJECT].filter(Boolean).length;
  if (vapid !== 0 && vapid !== 3) {
    problems.push('WEB_PUSH_PUBLIC_KEY, WEB_PUSH_PRIVATE_KEY and WEB_PUSH_SUBJECT go together (set all three to send web push, or none)');
  }
  return problems;
}
