import { z } from 'zod';
import { SecretsEnvShape } from '@metertwin/db';
import { MailEnvShape } from '@metertwin/org-admin';
import { OutboundEnvShape } from '@metertwin/egress';
import { RulePluginsEnvShape } from '@metertwin/rules';
import { StorageEnvSchema } from '@metertwin/storage';

/** Everything the portal reads from its environment. */
export const WebEnvSchema = z
  .object({
    DATABASE_URL: z
      .string({ error: 'is required (postgresql://user@host:5432/db)' })
      .url('must be a URL like postgresql://user@host:5432/db'),
    REDIS_URL: z.string().url('must be a URL like redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
    /**
     * How many reverse proxies in front of the portal append the address they saw to
     * X-Forwarded-For; sign-in throttling takes the client address from that entry
     * (lib/client-address.ts). 0: browsers reach `next start` directly.
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** BullMQ key prefix: the same as the services' (service-kit QUEUE_PREFIX), or notify never sees the jobs. */
    QUEUE_PREFIX: z.string().min(1).default('metertwin'),
    /** New labels (reviewed drum crops) of a meter since its last adapter that make the portal ask recognize for a new one. */
    ADAPT_MIN_NEW_LABELS: z.coerce.number().int().positive().default(20),
    /** VAPID public key (base64url) browsers subscribe to web push with; no web push without it. */
    WEB_PUSH_PUBLIC_KEY: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{80,100}$/,
        'must be a base64url VAPID public key (npx web-push generate-vapid-keys)',
      )
      .optional(),
  })
  .extend(StorageEnvSchema.shape)
  // Onboarding snapshots go through the same outbound policy as ingest's pulls.
  .extend(OutboundEnvShape)
  // Camera passwords entered at onboarding are stored sealed with this key.
  .extend(SecretsEnvShape)
  // The rule plugins notify evaluates, so the rule form offers and checks the same types.
  .extend(RulePluginsEnvShape)
  // Invitations and password reset links: SMTP server, sender, and the portal address the links point to.
  .extend(MailEnvShape);
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
