import { Module, type DynamicModule } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import { ServiceKitModule } from '@metertwin/service-kit';
import { AlarmService } from './alarm.service.js';
import { NotifyEnvSchema } from './config.js';
import { NotifyHandler } from './notify.handler.js';

@Module({})
export class NotifyModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: NotifyModule,
      imports: [
        ServiceKitModule.forRoot({
          serviceName: 'notify',
          envSchema: NotifyEnvSchema,
          env,
          consumes: [QueueName.Notify],
          produces: [],
        }),
      ],
      providers: [AlarmService, NotifyHandler],
    };
  }
}
