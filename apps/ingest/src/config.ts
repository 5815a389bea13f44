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
  /**
   * Back-pressure: photos waiting in preprocess and recognize above which uploads are refused with 503
   * (nothing stored). Below it the queues absorb bursts and the readings catch up later, in time order.
   */
  MAX_QUEUE_DEPTH: z.coerce.number().int().positive().default(5_000),
  /** The Retry-After of such a refusal, in seconds. */
  QUEUE_FULL_RETRY_AFTER_SEC: z.coerce.number().int().positive().default(10),
});
export type IngestEnv = z.infer<typeof IngestEnvSchema>;
