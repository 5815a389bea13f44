import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** A program and its arguments, run without a shell (nothing in the config is interpreted twice). */
const CommandSchema = z.array(z.string().min(1)).min(1);

const CaptureSchema = z.union([
  z.object({
    /** Writes one JPEG or PNG to stdout, e.g. ["libcamera-still", "-n", "-o", "-"]. */
    command: CommandSchema,
  }),
  z.object({
    /** A camera's snapshot URL, e.g. an ESP32-CAM's http://192.168.1.50/capture. */
    snapshotUrl: z.url({ protocol: /^https?$/ }),
    user: z.string().optional(),
    password: z.string().optional(),
  }),
]);

export const AgentConfigSchema = z.object({
  /** Ingest's base URL, as devices reach it (e.g. https://metertwin.example.com:3001). */
  platformUrl: z.url({ protocol: /^https?$/ }),
  meterId: z.uuid(),
  /** The camera's device token, shown once when the meter was added; or METERTWIN_DEVICE_TOKEN. */
  deviceToken: z.string().min(16),
  intervalSec: z.number().int().min(5).max(86_400).default(300),
  capture: CaptureSchema,
  /** Light (LED or IR) switched around each photo, e.g. ["gpioset", "gpiochip0", "17=1"]. */
  light: z
    .object({ on: CommandSchema, off: CommandSchema, settleMs: z.number().int().min(0).max(10_000).default(300) })
    .optional(),
  spool: z
    .object({
      dir: z.string().min(1),
      /** Photos kept while the platform is unreachable; past this the oldest is dropped (the counter is cumulative, so no consumption is lost, only the time resolution of the oldest). */
      maxPhotos: z.number().int().min(10).default(10_000),
    }),
  /** Upper bound of one capture and of one upload. */
  timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
  maxImageBytes: z.number().int().min(1024).default(10 * 1024 * 1024),
  /** Longest wait between upload attempts while the platform is down. */
  maxBackoffSec: z.number().int().min(1).default(600),
  health: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535) }).optional(),
});
export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;

/** Reads and validates the JSON config file; the token may come from the environment instead of the file. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<AgentConfig> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot read config ${file}: ${(error as Error).message}`);
  }
  if (env.METERTWIN_DEVICE_TOKEN) raw = { ...raw, deviceToken: env.METERTWIN_DEVICE_TOKEN };
  const parsed = AgentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid config ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
