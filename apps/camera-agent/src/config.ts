import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MqttUploader } from './mqtt-uploader.js';
import { HttpUploader, type PhotoUploader } from './uploader.js';

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

export const AgentConfigSchema = z
  .object({
    /** Ingest's base URL, as devices reach it (e.g. https://metertwin.example.com:3001); HTTP uploads. */
    platformUrl: z.url({ protocol: /^https?$/ }).optional(),
    meterId: z.uuid(),
    /** The camera's device token, shown once when the meter was added; or METERTWIN_DEVICE_TOKEN. */
    deviceToken: z.string().min(16).optional(),
    /**
     * Photos over MQTT instead of HTTP: the platform's broker and the camera's own account (given
     * when its MQTT access was created); the password may come from METERTWIN_MQTT_PASSWORD.
     */
    mqtt: z
      .object({
        url: z.url({ protocol: /^(mqtt|mqtts|ws|wss)$/ }),
        username: z.string().min(1),
        password: z.string().min(1),
      })
      .optional(),
    intervalSec: z.number().int().min(5).max(86_400).default(300),
    capture: CaptureSchema,
    /** Light (LED or IR) switched around each photo, e.g. ["gpioset", "gpiochip0", "17=1"]. */
    light: z
      .object({
        on: CommandSchema,
        off: CommandSchema,
        settleMs: z.number().int().min(0).max(10_000).default(300),
      })
      .optional(),
    spool: z.object({
      dir: z.string().min(1),
      /** Photos kept while the platform is unreachable; past this the oldest is dropped (the counter is cumulative, so no consumption is lost, only the time resolution of the oldest). */
      maxPhotos: z.number().int().min(10).default(10_000),
    }),
    /** Upper bound of one capture and of one upload. */
    timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
    maxImageBytes: z
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
    /** Longest wait between upload attempts while the platform is down. */
    maxBackoffSec: z.number().int().min(1).default(600),
    health: z
      .object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535) })
      .optional(),
  })
  .refine((c) => c.mqtt || (c.platformUrl && c.deviceToken), {
    message: 'set platformUrl and deviceToken (HTTP upload) or mqtt (photos over MQTT)',
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
  if (env.METERTWIN_MQTT_PASSWORD && raw.mqtt && typeof raw.mqtt === 'object') {
    raw = { ...raw, mqtt: { ...raw.mqtt, password: env.METERTWIN_MQTT_PASSWORD } };
  }
  const parsed = AgentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `invalid config ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** The uploader the config asks for: MQTT when it names a broker, else ingest's HTTP upload. */
export function uploaderFor(config: AgentConfig): PhotoUploader {
  if (config.mqtt)
    return new MqttUploader({ ...config.mqtt, meterId: config.meterId, timeoutMs: config.timeoutMs });
  return new HttpUploader({
    platformUrl: config.platformUrl!,
    deviceToken: config.deviceToken!,
    meterId: config.meterId,
    timeoutMs: config.timeoutMs,
  });
}
