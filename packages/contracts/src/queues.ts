/**
 * Queue names. FROZEN: renaming one strands the jobs already waiting in Redis under the old name.
 * Add a new name instead, and drain the old queue before removing it.
 */
export const QueueName = {
  CameraPull: 'camera-pull',
  Preprocess: 'preprocess',
  Recognize: 'recognize',
  Notify: 'notify',
  /** notify's timer → notify: evaluate the rules that must fire without a reading (no-reading). */
  RuleTick: 'rule-tick',
  /** notify → notify: POST one webhook delivery (a WebhookDelivery row) to its subscriber. */
  WebhookDelivery: 'webhook-delivery',
  /** portal or API → notify: an operator acknowledged or cleared an alarm (webhooks, push, actuation). */
  AlarmEvent: 'alarm-event',
  /** notify's rules or the portal → notify: send one ActuationCommand row to its actuator. */
  Actuation: 'actuation',
  /** notify → notify: send one Notification outbox row (push, web push, Slack) to its receiver. */
  NotificationDelivery: 'notification-delivery',
  /** portal (a review added labels) → recognize: train and judge an adapter of one meter. */
  MeterAdapt: 'meter-adapt',
  /** notify → notify: write one accepted reading to the configured time-series database (InfluxDB). */
  TimeSeriesExport: 'timeseries-export',
  /** ingest's daily timer → ingest: delete the photos older than each organization's retention. */
  PhotoRetention: 'photo-retention',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Redis pub/sub channel on which the portal hears about new readings and alarms. FROZEN too. */
export const LiveChannel = 'metertwin:live';

/** Deterministic job ids make a retried or duplicated enqueue harmless (BullMQ ignores a known id). */
export const jobId = {
  preprocess: (captureId: string) => `${captureId}-preprocess`,
  recognize: (captureId: string) => `${captureId}-recognize`,
  /** A reviewed reading is notified again, once per review (`reviewedAt`): it may now feed the rules. */
  notify: (readingId: string, reviewedAt?: Date | null) => (reviewedAt ? `${readingId}-notify-reviewed-${reviewedAt.getTime()}` : `${readingId}-notify`),
  cameraPull: (deviceId: string) => `${deviceId}-camera-pull`,
  /** One per meter and kind while it waits or runs (BullMQ deduplication id, not a job id: it is freed when the run ends). */
  meterAdapt: (meterId: string, kind: string) => `${meterId}-adapt-${kind}`,
  timeSeriesExport: (readingId: string) => `${readingId}-timeseries`,
};
