import { HomeAssistantPublisher } from './home-assistant/home-assistant.publisher.js';
import { HomeAssistantSweeper } from './home-assistant/home-assistant.sweeper.js';
import { Module, type DynamicModule } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import type { RulePlugin } from '@metertwin/rules';
import { secretsProvider, ServiceKitModule } from '@metertwin/service-kit';
import { ActuationReconcileStage } from './actuation/actuation-reconcile.stage.js';
import { ActuationService } from './actuation/actuation.service.js';
import { ActuatorsController } from './actuation/actuators.controller.js';
import { HttpActuatorAdapter } from './actuation/http-actuator.adapter.js';
import { ActuatorSecretsSealer } from './actuation/actuator-secrets.sealer.js';
import { MqttActuatorAdapter } from './actuation/mqtt-actuator.adapter.js';
import { AlarmAnnouncer } from './alarm-announcer.js';
import { alarmHooksProvider } from './alarm-hook.js';
import { AlarmReconcileStage } from './alarm-reconcile.stage.js';
import { AlarmLifecycleService } from './alarm-lifecycle.service.js';
import { AlarmService } from './alarm.service.js';
import { AlarmsController } from './alarms.controller.js';
import { NotifyEnvSchema } from './config.js';
import { DeliveryAlarmHook, deliveryProviders, type DeliveryOptions } from './delivery/index.js';
import { NotifyHandler } from './notify.handler.js';
import { ReadingReconcileStage } from './reading-reconcile.stage.js';
import { RuleEvaluator } from './rule-evaluator.service.js';
import { ruleRegistryProvider } from './rule-registry.js';
import { RuleTickHandler } from './rule-tick.handler.js';
import { RulesController } from './rules.controller.js';
import { WebhookService } from './webhook.service.js';
import { WebhookReconcileStage } from './webhook-reconcile.stage.js';
import { OutboundPolicies } from './outbound-policies.js';
import { timeSeriesProviders } from './timeseries/index.js';
import { SlackChannelsController } from './slack-channels.controller.js';
import { WebhooksController } from './webhooks.controller.js';

export interface NotifyModuleOptions {
  /** Rule types registered next to the built-ins (third-party plugins). */
  rulePlugins?: readonly RulePlugin[];
  /** Provider transports for push, web push and Slack (tests point them at local fakes). */
  delivery?: DeliveryOptions;
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
          consumes: [QueueName.Notify, QueueName.RuleTick, QueueName.WebhookDelivery, QueueName.AlarmEvent, QueueName.Actuation, QueueName.NotificationDelivery, QueueName.TimeSeriesExport],
          produces: [QueueName.Notify, QueueName.RuleTick, QueueName.WebhookDelivery, QueueName.Actuation, QueueName.NotificationDelivery, QueueName.TimeSeriesExport],
        }),
      ],
      controllers: [WebhooksController, SlackChannelsController, RulesController, AlarmsController, ActuatorsController],
      providers: [
        ruleRegistryProvider(options.rulePlugins),
        AlarmService,
        RuleEvaluator,
        NotifyHandler,
        HomeAssistantPublisher,
        HomeAssistantSweeper,
        ...timeSeriesProviders(),
        RuleTickHandler,
        WebhookService,
        OutboundPolicies,
        WebhookReconcileStage,
        // Hooks called on every alarm event after the webhooks (person-facing delivery registers here).
        alarmHooksProvider(DeliveryAlarmHook),
        AlarmAnnouncer,
        AlarmLifecycleService,
        ActuationService,
        HttpActuatorAdapter,
        MqttActuatorAdapter,
        secretsProvider,
        ActuatorSecretsSealer,
        ReadingReconcileStage,
        ActuationReconcileStage,
        AlarmReconcileStage,
        ...deliveryProviders(options.delivery),
      ],
    };
  }
}
