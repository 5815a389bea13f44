import { z } from 'zod';
import { BaseEnvSchema } from '@metertwin/service-kit';
import { StorageEnvSchema } from '@metertwin/storage';

export const PreprocessEnvSchema = BaseEnvSchema.extend(StorageEnvSchema.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
});
export type PreprocessEnv = z.infer<typeof PreprocessEnvSchema>;
