import { z } from 'zod';
import { BaseEnvSchema } from '@metertwin/service-kit';

export const NotifyEnvSchema = BaseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
});
