import { z } from 'zod';
import { BoxSchema, CropImageSchema } from './geometry.js';
import { QueueName } from './queues.js';

const id = z.string().min(1).max(64);

/** ingest → preprocess: a stored capture waiting to be cut into crops. */
export const PreprocessJobSchema = z.object({
  v: z.literal(1),
  captureId: id,
  meterId: id,
});

/** preprocess → recognize: the capture's crops, small enough to travel in the job. */
export const RecognizeJobSchema = z.object({
  v: z.literal(1),
  captureId: id,
  meterId: id,
  crops: z
    .array(
      z.object({
        kind: z.enum(['digit', 'pointer']),
        index: z.number().int().nonnegative(),
        /** Where the crop came from in the original frame. */
        box: BoxSchema,
        image: CropImageSchema,
      }),
    )
    .min(1)
    .max(20),
});

/** recognize → notify: a reading was stored. */
export const NotifyJobSchema = z.object({
  v: z.literal(1),
  readingId: id,
  meterId: id,
  captureId: id,
});

/** ingest's scheduler → ingest's puller: fetch a snapshot from a meter's camera now. */
export const CameraPullJobSchema = z.object({
  v: z.literal(1),
  meterId: id,
  deviceId: id,
});

/**
 * notify's timer → notify: evaluate the rules that must fire without a reading (no-reading). `at` is
 * the evaluation time (the wall clock when the job runs if omitted); `meterId` limits the run to one
 * meter (every meter with such a rule if omitted).
 */
export const RuleTickJobSchema = z.object({
  v: z.literal(1),
  at: z.iso.datetime().optional(),
  meterId: id.optional(),
});

/**
 * notify → notify: deliver one WebhookDelivery row. The job id is the delivery id (a replay adds the
 * same delivery again under a new job id).
 */
export const WebhookDeliveryJobSchema = z.object({
  v: z.literal(1),
  deliveryId: id,
  /** The meter the event is about, if any: only for the worker's log context. */
  meterId: id.optional(),
});

/** portal or API → notify: an operator changed an alarm's lifecycle; notify tells the subscribers. */
export const AlarmEventJobSchema = z.object({
  v: z.literal(1),
  alarmId: id,
  event: z.enum(['acknowledged', 'cleared']),
  /** The user who did it. */
  actorId: id,
});

/**
 * rules or the portal → notify: deliver one ActuationCommand row (created first, so the audit trail
 * exists before anything is sent). The job id is the command id.
 */
export const ActuationJobSchema = z.object({
  v: z.literal(1),
  commandId: id,
});

/**
 * notify → notify: deliver one Notification outbox row to its receiver (an FCM token, a web push
 * subscription or a Slack channel). The job id is the notification id.
 */
export const NotificationDeliveryJobSchema = z.object({
  v: z.literal(1),
  notificationId: id,
  /** The meter the alarm is about: only for the worker's log context. */
  meterId: id.optional(),
});

/**
 * portal → recognize: the meter has enough new labels (TrainingSample rows) of this recognizer kind:
 * train an adapter on them, judge it on the held-back ones and promote it only if it is better.
 */
export const MeterAdaptJobSchema = z.object({
  v: z.literal(1),
  meterId: id,
  /** Drums only so far: recognize reads pointer dials with the base pointer model. */
  kind: z.enum(['digits']),
});

/** notify → notify: an accepted reading to write to the time-series database (idempotent: same point, same time). */
export const TimeSeriesExportJobSchema = z.object({
  v: z.literal(1),
  readingId: id,
});

/** ingest's timer → ingest: one retention run over every organization that set one. */
export const PhotoRetentionJobSchema = z.object({
  v: z.literal(1),
  /** The run's "now" (ISO time); the job's start when absent. */
  at: z.iso.datetime().optional(),
});

export type PreprocessJob = z.infer<typeof PreprocessJobSchema>;
export type RecognizeJob = z.infer<typeof RecognizeJobSchema>;
export type NotifyJob = z.infer<typeof NotifyJobSchema>;
export type CameraPullJob = z.infer<typeof CameraPullJobSchema>;
export type RuleTickJob = z.infer<typeof RuleTickJobSchema>;
export type WebhookDeliveryJob = z.infer<typeof WebhookDeliveryJobSchema>;
export type AlarmEventJob = z.infer<typeof AlarmEventJobSchema>;
export type ActuationJob = z.infer<typeof ActuationJobSchema>;
export type NotificationDeliveryJob = z.infer<typeof NotificationDeliveryJobSchema>;
export type MeterAdaptJob = z.infer<typeof MeterAdaptJobSchema>;
export type TimeSeriesExportJob = z.infer<typeof TimeSeriesExportJobSchema>;
export type PhotoRetentionJob = z.infer<typeof PhotoRetentionJobSchema>;

/** One schema per queue: producers and consumers both go through this table. */
export const JobSchemas = {
  [QueueName.CameraPull]: CameraPullJobSchema,
  [QueueName.Preprocess]: PreprocessJobSchema,
  [QueueName.Recognize]: RecognizeJobSchema,
  [QueueName.Notify]: NotifyJobSchema,
  [QueueName.RuleTick]: RuleTickJobSchema,
  [QueueName.WebhookDelivery]: WebhookDeliveryJobSchema,
  [QueueName.AlarmEvent]: AlarmEventJobSchema,
  [QueueName.Actuation]: ActuationJobSchema,
  [QueueName.NotificationDelivery]: NotificationDeliveryJobSchema,
  [QueueName.MeterAdapt]: MeterAdaptJobSchema,
  [QueueName.TimeSeriesExport]: TimeSeriesExportJobSchema,
  [QueueName.PhotoRetention]: PhotoRetentionJobSchema,
} as const;

export type JobPayload<Q extends QueueName> = z.infer<(typeof JobSchemas)[Q]>;
