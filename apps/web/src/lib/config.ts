import { z } from 'zod';
import { StorageEnvSchema } from '@metertwin/storage';

/** Everything the portal reads from its environment. */
export const WebEnvSchema = z
  .object({
    DATABASE_URL: z
      .string({ error: 'is required (postgresql://user@host:5432/db)' })
      .url('must be a URL like postgresql://user@host:5432/db'),
    REDIS_URL: z.string().url('must be a URL like redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
  })
  .extend(StorageEnvSchema.shape);
export type WebEnv = z.infer<typeof WebEnvSchema>;

export class WebConfigError extends Error {
  override name = 'WebConfigError';
}

/** Parses the environment; every problem is listed in one message so a bad deploy is fixed in one go. */
export function parseWebEnv(env: Record<string, string | undefined>): WebEnv {
  const result = WebEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new WebConfigError(`@metertwin/web: invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}

let cached: WebEnv | undefined;

/** The process's configuration, parsed once (instrumentation.ts parses it at server start). */
export function webConfig(): WebEnv {
  cached ??= parseWebEnv(process.env);
  return cached;
}
