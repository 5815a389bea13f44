import { z } from 'zod';
import path from 'node:path';
import { DEFAULT_MIN_CONFIDENCE } from '@metertwin/readings';
import { digitsDir } from '@metertwin/sample-data';
import { BaseEnvSchema } from '@metertwin/service-kit';
import { StorageEnvSchema } from '@metertwin/storage';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

export const RecognizeEnvSchema = BaseEnvSchema.extend(StorageEnvSchema.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  /** Directory of the digit model; the model committed with the recognizer package when unset. */
  DIGIT_MODEL_DIR: z.string().min(1).optional(),
  /** Directory of the pointer-dial model (packages/recognizer's when unset), loaded on the first dial. */
  POINTER_MODEL_DIR: z.string().min(1).optional(),
  /** Readings whose weakest digit is less sure than this go to review. */
  MIN_DIGIT_CONFIDENCE: z.coerce.number().min(0).max(1).default(DEFAULT_MIN_CONFIDENCE),

  // Per-meter adapters (meter-adapt jobs, packages/recognizer adaptRecognizer).
  /** Fine-tuning steps of one adapter (packages/recognizer bench:adapt measured 300). */
  ADAPT_STEPS: z.coerce.number().int().positive().default(300),
  /** Labeled crops of other meters replayed beside the meter's own, comma-separated folders (the shipped sample meters by default). */
  ADAPT_REPLAY_DIRS: z
    .string()
    .min(1)
    .default(['iotson-emeter1', 'iskra-t3f-2025', 'jomjol-20220606'].map((m) => path.join(digitsDir, m)).join(','))
    .transform((v) => v.split(',').map((d) => d.trim()).filter(Boolean)),
  /** Adapted models kept loaded at once (least recently used one dropped). */
  ADAPTER_CACHE_SIZE: z.coerce.number().int().positive().default(8),

  // Google Cloud Vision as a second opinion (Meter.ocrMode). Disabled unless an API key is given or
  // GOOGLE_VISION_USE_ADC=true (Application Default Credentials, e.g. GOOGLE_APPLICATION_CREDENTIALS).
  GOOGLE_VISION_API_KEY: z.string().min(1).optional(),
  GOOGLE_VISION_USE_ADC: flag,
  /** Another endpoint than https://vision.googleapis.com, e.g. a regional one or a local fake. */
  GOOGLE_VISION_ENDPOINT: z.url().optional(),
  GOOGLE_VISION_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // Azure AI Vision (Image Analysis 4.0 Read) instead: a resource endpoint and one of its keys.
  AZURE_VISION_ENDPOINT: z.url().optional(),
  AZURE_VISION_KEY: z.string().min(1).optional(),
  AZURE_VISION_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Which cloud OCR when both are configured (else the configured one). */
  OCR_PROVIDER: z.enum(['google-vision', 'azure-vision']).optional(),
  /** Cost control: calls per meter and per installation in each clock hour (cache hits are free). */
  OCR_MAX_CALLS_PER_METER_PER_HOUR: z.coerce.number().int().min(0).default(6),
  OCR_MAX_CALLS_PER_HOUR: z.coerce.number().int().min(0).default(500),
  /** How long an answer is reused for the same window image (sha256). */
  OCR_CACHE_TTL_SEC: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  /** An OCR character below this confidence is no evidence either way. */
  OCR_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.8),
});
export type RecognizeEnv = z.infer<typeof RecognizeEnvSchema>;
