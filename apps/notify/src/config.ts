import { z } from 'zod';
import { BaseEnvSchema } from '@metertwin/service-kit';

export const NotifyEnvSchema = BaseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  /** How often the rule timer evaluates the rules that fire without a reading (no-reading), in ms. */
  RULE_TICK_MS: z.coerce.number().int().min(100).max(24 * 3_600_000).default(60_000),
});
export type NotifyEnv = z.infer<typeof NotifyEnvSchema>;
