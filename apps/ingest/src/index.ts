import type { INestApplication } from '@nestjs/common';
import { startService, type StartOptions } from '@metertwin/service-kit';
import { IngestModule } from './ingest.module.js';

export { IngestModule };
export { IngestEnvSchema } from './config.js';
export { CameraScheduleService } from './camera-schedule.service.js';
export { PHOTO_RETENTION_SCHEDULER } from './retention/photo-retention.handler.js';

export function startIngest(env: Record<string, string | undefined>, options?: StartOptions): Promise<INestApplication> {
  return startService(IngestModule.forRoot(env), options);
}
