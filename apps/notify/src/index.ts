import type { INestApplication } from '@nestjs/common';
import { startService, type StartOptions } from '@metertwin/service-kit';
import { NotifyModule, type NotifyModuleOptions } from './notify.module.js';

export { NotifyModule, type NotifyModuleOptions };
export { NotifyEnvSchema, type NotifyEnv } from './config.js';
export { NotificationPlanner, NotificationSweeper, quietUntil, channelsFor, DEFAULT_CHANNELS, type DeliveryOptions } from './delivery/index.js';
export { SCHEDULED_RULE_TYPES, RULE_TICK_SCHEDULER } from './rule-tick.handler.js';
export { WebhookService, signWebhook } from './webhook.service.js';

export type NotifyStartOptions = StartOptions & NotifyModuleOptions;

/** Starts notify; `rulePlugins` registers extra rule types next to the built-ins. */
export function startNotify(
  env: Record<string, string | undefined>,
  options: NotifyStartOptions = {},
): Promise<INestApplication> {
  const { rulePlugins, delivery, ...start } = options;
  return startService(NotifyModule.forRoot(env, { rulePlugins, delivery }), start);
}
