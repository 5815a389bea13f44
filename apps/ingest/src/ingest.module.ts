import { Module, type DynamicModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { QueueName } from '@metertwin/contracts';
import { CONFIG, secretsProvider, ServiceKitModule, storageProvider } from '@metertwin/service-kit';
import { CameraPullHandler } from './camera-pull.handler.js';
import { CameraScheduleService } from './camera-schedule.service.js';
import { CaptureReconcileStage } from './capture-reconcile.stage.js';
import { CaptureService } from './capture.service.js';
import { CapturesController } from './captures.controller.js';
import { IngestEnvSchema, type IngestEnv } from './config.js';
import { DeviceAuthService } from './device-auth.service.js';
import { DeviceTokenGuard } from './device-token.guard.js';
import { PipelineBackPressure } from './pipeline-back-pressure.js';
import { QueueDepthGuard } from './queue-depth.guard.js';
import { CameraSecretsSealer } from './camera-secrets.sealer.js';
import { MqttCaptureSubscriber } from './mqtt-capture.subscriber.js';
import { PhotoRetentionHandler } from './retention/photo-retention.handler.js';

@Module({})
export class IngestModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ServiceKitModule.forRoot({
          serviceName: 'ingest',
          envSchema: IngestEnvSchema,
          env,
          consumes: [QueueName.CameraPull, QueueName.PhotoRetention],
          // Recognize: the capture reconciler retries a capture's failed recognize job.
          produces: [QueueName.Preprocess, QueueName.Recognize, QueueName.CameraPull, QueueName.PhotoRetention],
        }),
        MulterModule.registerAsync({
          inject: [CONFIG],
          useFactory: (config: IngestEnv) => ({
            storage: memoryStorage(),
            limits: { fileSize: config.MAX_IMAGE_BYTES, files: 1, fields: 10 },
          }),
        }),
      ],
      controllers: [CapturesController],
      providers: [storageProvider, secretsProvider, CaptureService, DeviceAuthService, DeviceTokenGuard, PipelineBackPressure, QueueDepthGuard, CameraPullHandler, CameraScheduleService, CameraSecretsSealer, CaptureReconcileStage, MqttCaptureSubscriber, PhotoRetentionHandler],
    };
  }
}
