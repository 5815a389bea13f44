import { z } from 'zod';
import { BaseEnvSchema } from '@metertwin/service-kit';
import { SecretsEnvShape } from '@metertwin/db';
import { OutboundEnvShape } from '@metertwin/egress';
import { RulePluginsEnvShape } from '@metertwin/rules';
import { DeliveryEnvShape } from './delivery/config.js';
import { TimeSeriesEnvShape } from './timeseries/config.js';

export const NotifyEnvSchema = BaseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  /** How often the rule timer evaluates the rules that fire without a reading (no-reading), in ms. */
  RULE_TICK_MS: z.coerce.number().int().min(100).max(24 * 3_600_000).default(60_000),
  /** Webhooks, Slack, web push endpoints and actuators reach what packages/egress allows (OUTBOUND_ALLOWED_HOSTS). */
  ...OutboundEnvShape,
  /** Actuator credentials (MQTT passwords, HTTP headers) are stored sealed with SECRETS_KEY. */
  ...SecretsEnvShape,
  /** Rule plugin modules of the deployment, next to `startNotify`'s rulePlugins; the portal reads the same list. */
  ...RulePluginsEnvShape,
  /** First retry delay of a failed webhook delivery in ms; each further retry waits twice as long. */
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  /** Attempts per webhook delivery (the first one included) before it is marked failed. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** Time a subscriber has to answer a delivery, in ms. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Time a device has to confirm a command before it is recorded as timeout, in ms. */
  ACTUATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Attempts to send a command when the broker or endpoint cannot be reached (a timeout is never retried). */
  ACTUATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Home Assistant: the MQTT broker HA listens to (off when unset) and notify's account on it. */
  HA_MQTT_URL: z.url({ protocol: /^mqtts?$/ }).optional(),
  HA_MQTT_USERNAME: z.string().min(1).optional(),
  HA_MQTT_PASSWORD: z.string().min(1).optional(),
  /** How often notify clears the retained HA messages of organizations that turned HA off, and of archived or deleted meters, in ms. */
  HA_SWEEP_MS: z.coerce.number().int().min(100).max(24 * 3_600_000).default(60_000),
  /** Push, web push and Slack notifications (delivery/config.ts). */
  ...DeliveryEnvShape,
  /** InfluxDB export of accepted readings and per-meter gauges (timeseries/config.ts). */
  ...TimeSeriesEnvShape,
});
export type NotifyEnv = z.infer<typeof NotifyEnvSchema>;
