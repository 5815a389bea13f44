import type { Provider } from '@nestjs/common';
import { CONFIG, ConfigError } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { CHANNEL_SENDERS, DELIVERY_OPTIONS, type DeliveryOptions } from './channel-sender.js';
import { deliveryConfigProblems } from './config.js';
import { DeliveryAlarmHook } from './delivery-alarm-hook.js';
import { FcmSender } from './fcm.sender.js';
import { NotificationDeliveryWorker } from './notification-delivery.worker.js';
import { NotificationPlanner } from './notification-planner.js';
import { NotificationQueue } from './notification-queue.js';
import { NotificationReconcileStage } from './notification-reconcile.stage.js';
import { NotificationSweeper } from './notification-sweeper.js';
import { SlackSender } from './slack.sender.js';
import { WebPushSender } from './web-push.sender.js';

export { DeliveryAlarmHook, NotificationPlanner, NotificationSweeper, type DeliveryOptions };
export { DeliveryEnvShape } from './config.js';
export { quietUntil } from './quiet-hours.js';
export { DEFAULT_CHANNELS, channelsFor } from '@metertwin/alarms';

/** Everything person-facing notifications need in notify's module. */
export function deliveryProviders(options: DeliveryOptions = {}): Provider[] {
  return [
    {
      provide: DELIVERY_OPTIONS,
      // Half-configured channels stop the service at start, with every problem named.
      useFactory: (config: NotifyEnv) => {
        const problems = deliveryConfigProblems(config, Boolean(options.fcm?.credential));
        if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
        return options;
      },
      inject: [CONFIG],
    },
    FcmSender,
    WebPushSender,
    SlackSender,
    { provide: CHANNEL_SENDERS, useFactory: (...senders: unknown[]) => senders, inject: [FcmSender, WebPushSender, SlackSender] },
    NotificationQueue,
    NotificationPlanner,
    NotificationDeliveryWorker,
    NotificationSweeper,
    NotificationReconcileStage,
    DeliveryAlarmHook,
  ];
}
