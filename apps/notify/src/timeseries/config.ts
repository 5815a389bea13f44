import { z } from 'zod';

const optional = z.string().trim().min(1).optional();

/**
 * Where accepted readings are exported, merged into NotifyEnvSchema. InfluxDB 2 and 3 both take the
 * v2 write API (`/api/v2/write`; for InfluxDB 3 the bucket is the database and the org is ignored).
 * Off while INFLUX_URL is unset.
 */
export const TimeSeriesEnvShape = {
  INFLUX_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** An API token allowed to write to the bucket (InfluxDB 2: Token; InfluxDB 3: a database token). */
  INFLUX_TOKEN: optional,
  INFLUX_ORG: optional,
  /** The bucket (InfluxDB 2) or database (InfluxDB 3) the points go to. */
  INFLUX_BUCKET: optional,
  INFLUX_MEASUREMENT: z.string().trim().min(1).default('meter_reading'),
  /** Time InfluxDB has to accept a point, in ms; a failed write is retried by its job. */
  INFLUX_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** First retry delay of a failed export in ms; each further retry waits twice as long (15 attempts). */
  INFLUX_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  /** Per-meter gauges (latest accepted value, flow, age) on notify's /metrics, read from Postgres when scraped. */
  METER_METRICS: z.stringbool().default(false),
};

export type TimeSeriesEnv = z.infer<z.ZodObject<typeof TimeSeriesEnvShape>>;

/** Half-set export settings, named; empty when the export is off or complete. */
export function timeSeriesConfigProblems(env: TimeSeriesEnv): string[] {
  if (!env.INFLUX_URL) return [];
  return (['INFLUX_TOKEN', 'INFLUX_BUCKET'] as const).filter((key) => !env[key]).map((key) => `INFLUX_URL is set but ${key} is not`);
}
