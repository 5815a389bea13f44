import { Module, type DynamicModule } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import { ServiceKitModule, storageProvider } from '@metertwin/service-kit';
import { PreprocessEnvSchema } from './config.js';
import { PreprocessHandler } from './preprocess.handler.js';

@Module({})
export class PreprocessModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: PreprocessModule,
      imports: [
        ServiceKitModule.forRoot({
          serviceName: 'preprocess',
          envSchema: PreprocessEnvSchema,
          env,
          consumes: [QueueName.Preprocess],
          produces: [QueueName.Recognize],
        }),
      ],
      providers: [storageProvider, PreprocessHandler],
    };
  }
}
