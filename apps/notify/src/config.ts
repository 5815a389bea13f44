import { z } from 'zod';
import { BaseEnvSchema } from '@metertwin/service-kit';
import { DeliveryEnvShape } from './delivery/config.js';
import { parseAllowEntry } from './webhook-guard.js';

/** A comma list of hostnames and IP addresses or CIDRs a guarded request may reach although internal. */
const allowList = () =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
      return entries.map((entry) => {
        const parsed = parseAllowEntry(entry);
        if (!parsed) ctx.addIssue({ code: 'custom', message: `"${entry}" is neither a hostname nor an IP address or CIDR` });
        return parsed!;
      });
    });

export const NotifyEnvSchema = BaseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  /** How often the rule timer evaluates the rules that fire without a reading (no-reading), in ms. */
  RULE_TICK_MS: z.coerce.number().int().min(100).max(24 * 3_600_000).default(60_000),
  /**
   * Webhook destinations allowed although they resolve to loopback, link-local, private or other
   * internal addresses: a comma list of hostnames (exact match) and IP addresses or CIDRs
   * (e.g. `hooks.internal,10.20.0.0/16,127.0.0.1`). Empty: only public addresses are reached.
   */
  WEBHOOK_ALLOWED_HOSTS: allowList(),
  /** First retry delay of a failed webhook delivery in ms; each further retry waits twice as long. */
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  /** Attempts per webhook delivery (the first one included) before it is marked failed. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** Time a subscriber has to answer a delivery, in ms. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** How often pending webhook deliveries whose job is gone (a crash, a flushed Redis) are queued again, in ms. */
  WEBHOOK_SWEEP_MS: z.coerce.number().int().min(100).max(24 * 3_600_000).default(60_000),
  /** A pending delivery older than this with no job is swept, in ms (younger ones may still be queuing). */
  WEBHOOK_SWEEP_AGE_MS: z.coerce.number().int().min(0).max(24 * 3_600_000).default(60_000),
  /** Actuator URLs (http kind) allowed although internal; same format as WEBHOOK_ALLOWED_HOSTS. */
  ACTUATION_ALLOWED_HOSTS: allowList(),
  /** Time a device has to confirm a command before it is recorded as timeout, in ms. */
  ACTUATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Attempts to send a command when the broker or endpoint cannot be reached (a timeout is never retried). */
  ACTUATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Push, web push and Slack notifications (delivery/config.ts). */
  ...DeliveryEnvShape,
});
export type NotifyEnv = z.infer<typeof NotifyEnvSchema>;
