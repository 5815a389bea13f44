import { Module, type DynamicModule } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import { ServiceKitModule, storageProvider } from '@metertwin/service-kit';
import { RecognizeEnvSchema } from './config.js';
import { digitClassifierProvider } from './digit-classifier.provider.js';
import { AdaptHandler } from './adapt.handler.js';
import { MeterModels } from './meter-models.service.js';
import { ocrProvider } from './ocr.provider.js';
import { RecognizeHandler } from './recognize.handler.js';
import { SecondOpinionService } from './second-opinion.service.js';

@Module({})
export class RecognizeModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: RecognizeModule,
      imports: [
        ServiceKitModule.forRoot({
          serviceName: 'recognize',
          envSchema: RecognizeEnvSchema,
          env,
          consumes: [QueueName.Recognize, QueueName.MeterAdapt],
          produces: [QueueName.Notify],
        }),
      ],
      providers: [
        digitClassifierProvider,
        storageProvider,
        ocrProvider,
        SecondOpinionService,
        MeterModels,
        RecognizeHandler,
        AdaptHandler,
      ],
    };
  }
}
