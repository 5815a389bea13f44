import { z } from 'zod';
import { BaseEnvSchema } from '@metertwin/service-kit';

export const RecognizeEnvSchema = BaseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  /** Directory of the digit model; the model committed with the recognizer package when unset. */
  DIGIT_MODEL_DIR: z.string().min(1).optional(),
  /** Readings whose weakest digit is less sure than this go to review. */
  MIN_DIGIT_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.6),
});
export type RecognizeEnv = z.infer<typeof RecognizeEnvSchema>;
