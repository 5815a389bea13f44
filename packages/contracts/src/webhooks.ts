import { z } from 'zod';

/** The events a webhook can subscribe to. FROZEN names: subscribers filter on them. */
export const WebhookEventType = {
  ReadingAccepted: 'reading.accepted',
  AlarmRaised: 'alarm.raised',
  AlarmAcknowledged: 'alarm.acknowledged',
  AlarmCleared: 'alarm.cleared',
} as const;
export type WebhookEventType = (typeof WebhookEventType)[keyof typeof WebhookEventType];
export const WEBHOOK_EVENT_TYPES = Object.values(WebhookEventType) as [WebhookEventType, ...WebhookEventType[]];

/** Request headers of a webhook delivery. */
export const WebhookHeader = {
  /** The event's id: the same on every retry and replay of the event, so receivers can deduplicate. */
  EventId: 'X-MeterTwin-Event-Id',
  /** Unix seconds when this attempt was signed; receivers should refuse stale ones (replay attacks). */
  Timestamp: 'X-MeterTwin-Timestamp',
  /** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the webhook's secret>`. */
  Signature: 'X-MeterTwin-Signature',
} as const;

/** The JSON body of a webhook delivery. */
export const WebhookEventSchema = z.object({
  /** Event id, also in X-MeterTwin-Event-Id. */
  id: z.string().min(1),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  /** When the event happened (ISO 8601). */
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
