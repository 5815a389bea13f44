import { z } from 'zod';

/** What every service needs; each app extends it with its own keys. */
export const BaseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Key prefix for every BullMQ queue, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z.string().min(1).default('metertwin'),
  PORT: z.coerce.number().int().min(0).max(65535),
  /** Loopback unless the deployment opens it: only ingest has to be reachable by devices. */
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bearer token for the operational endpoints (dead-letter view, retries). */
  ADMIN_TOKEN: z.string().min(16).optional(),
  /** Bearer token Prometheus sends for /metrics; without it /metrics answers loopback clients only. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Longest a producer waits for Redis to take a job before it gives up (an upload then answers 503). */
  ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** How often the reconciler looks for stranded work (docs/operations.md). */
  RECONCILE_MS: z.coerce.number().int().min(100).default(30_000),
  /** Work not at a final state this long after its last change is stranded; also the first back-off. */
  RECONCILE_AFTER_MS: z.coerce.number().int().min(0).default(60_000),
  /** Items the reconciler claims per query; a pass takes batches until none is left. */
  RECONCILE_BATCH: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Times the reconciler drives one item on before it gives it up (a capture then ends `failed`). */
  RECONCILE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
});
export type BaseEnv = z.infer<typeof BaseEnvSchema>;

export class ConfigError extends Error {}

/** Parses the environment once at start; a bad or missing key stops the service with every problem listed. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}
