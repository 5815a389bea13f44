import { Module, type DynamicModule } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import type { RulePlugin } from '@metertwin/rules';
import { ServiceKitModule } from '@metertwin/service-kit';
import { AlarmService } from './alarm.service.js';
import { NotifyEnvSchema } from './config.js';
import { NotifyHandler } from './notify.handler.js';
import { RuleEvaluator } from './rule-evaluator.service.js';
import { ruleRegistryProvider } from './rule-registry.js';
import { RuleTickHandler } from './rule-tick.handler.js';
import { RulesController } from './rules.controller.js';
import { WebhookService } from './webhook.service.js';
import { WebhooksController } from './webhooks.controller.js';

export interface NotifyModuleOptions {
  /** Rule types registered next to the built-ins (third-party plugins). */
  rulePlugins?: readonly RulePlugin[];
}

@Module({})
export class NotifyModule {
  static forRoot(env: Record<string, string | undefined>, options: NotifyModuleOptions = {}): DynamicModule {
    return {
      module: NotifyModule,
      imports: [
        ServiceKitModule.forRoot({
          serviceName: 'notify',
          envSchema: NotifyEnvSchema,
          env,
          consumes: [QueueName.Notify, QueueName.RuleTick, QueueName.WebhookDelivery],
          produces: [QueueName.RuleTick, QueueName.WebhookDelivery],
        }),
      ],
      controllers: [WebhooksController, RulesController],
      providers: [ruleRegistryProvider(options.rulePlugins), AlarmService, RuleEvaluator, NotifyHandler, RuleTickHandler, WebhookService],
    };
  }
}
