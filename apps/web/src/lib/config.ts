import { z } from 'zod';
import { SecretsEnvShape } from '@metertwin/db';
import { OutboundEnvShape } from '@metertwin/egress';
import { RulePluginsEnvShape } from '@metertwin/rules';
import { StorageEnvSchema } from '@metertwin/storage';
import { FirebaseWebConfigSchema, type FirebaseWebSettings } from './firebase-web-settings';

const VAPID_KEY = /^[A-Za-z0-9_-]{80,100}$/;

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
    /** Requests one API key may make to /api/v1 per window (API_RATE_WINDOW_SECONDS), then 429 until the window ends. */
    API_RATE_LIMIT: z.coerce.number().int().positive().default(600),
    API_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().max(86_400).default(60),
    /** VAPID public key (base64url) browsers subscribe to web push with; no web push without it. */
    WEB_PUSH_PUBLIC_KEY: z
      .string()
      .regex(VAPID_KEY, 'must be a base64url VAPID public key (npx web-push generate-vapid-keys)')
      .optional(),
    /**
     * Firebase web app config as JSON ({"apiKey","projectId","appId","messagingSenderId"}): with
     * FCM_VAPID_KEY, browsers register with Firebase Cloud Messaging instead of plain web push.
     */
    FIREBASE_WEB_CONFIG: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON: {"apiKey","projectId","appId","messagingSenderId"}' });
          return z.NEVER;
        }
      })
      .pipe(FirebaseWebConfigSchema)
      .optional(),
    /** The public key of the Firebase project's web push certificate (Cloud Messaging settings). */
    FCM_VAPID_KEY: z.string().regex(VAPID_KEY, 'must be the base64url key of the Firebase web push certificate').optional(),
  })
  .refine((env) => Boolean(env.FIREBASE_WEB_CONFIG) === Boolean(env.FCM_VAPID_KEY), {
    message: 'FIREBASE_WEB_CONFIG and FCM_VAPID_KEY go together: set both or neither',
    path: ['FCM_VAPID_KEY'],
  })
  .extend(StorageEnvSchema.shape)
  // Onboarding snapshots go through the same outbound policy as ingest's pulls.
  .extend(OutboundEnvShape)
  // Camera passwords entered at onboarding are stored sealed with this key.
  .extend(SecretsEnvShape)
  // The rule plugins notify evaluates, so the rule form offers and checks the same types.
  .extend(RulePluginsEnvShape);
export type WebEnv = z.infer<typeof WebEnvSchema>;

/** Firebase for browsers, when the server has it configured. */
export function firebaseWebSettings(env: WebEnv = webConfig()): FirebaseWebSettings | null {
  return env.FIREBASE_WEB_CONFIG && env.FCM_VAPID_KEY ? { config: env.FIREBASE_WEB_CONFIG, vapidKey: env.FCM_VAPID_KEY } : null;
}

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
