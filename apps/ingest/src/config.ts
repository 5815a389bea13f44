import { z } from 'zod';
import { SecretsEnvShape } from '@metertwin/db';
import { OutboundEnvShape } from '@metertwin/egress';
import { BaseEnvSchema } from '@metertwin/service-kit';
import { StorageEnvSchema } from '@metertwin/storage';

export const IngestEnvSchema = BaseEnvSchema.extend(StorageEnvSchema.shape).extend(OutboundEnvShape).extend(SecretsEnvShape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Largest image accepted from a device or a camera, in bytes. */
  MAX_IMAGE_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** How often the camera schedules are matched against the devices in the database. */
  SCHEDULE_SYNC_MS: z.coerce.number().int().positive().default(30_000),
  /** The MQTT broker devices publish photos to (off when unset), and ingest's own account on it. */
  MQTT_URL: z.url({ protocol: /^mqtts?$/ }).optional(),
  MQTT_USERNAME: z.string().min(1).optional(),
  MQTT_PASSWORD: z.string().min(1).optional(),
  /** One per replica (its session keeps the photos in flight across a restart); default metertwin-ingest-<hostname>. */
  MQTT_CLIENT_ID: z.string().min(1).max(64).optional(),
  /** Replicas in one shared-subscription group split the photos between them. */
  MQTT_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_-]+$/).default('metertwin-ingest'),
  /**
   * Back-pressure: photos waiting in preprocess and recognize above which uploads are refused with 503
   * (nothing stored). Below it the queues absorb bursts and the readings catch up later, in time order.
   */
  MAX_QUEUE_DEPTH: z.coerce.number().int().positive().default(5_000),
  /** The Retry-After of such a refusal, in seconds. */
  QUEUE_FULL_RETRY_AFTER_SEC: z.coerce.number().int().positive().default(10),
  /** How often retention runs (Organization.photoRetentionDays and readingRetentionDays), in ms: daily. */
  RETENTION_EVERY_MS: z.coerce.number().int().min(1_000).default(24 * 3_600_000),
});
export type IngestEnv = z.infer<typeof IngestEnvSchema>;
