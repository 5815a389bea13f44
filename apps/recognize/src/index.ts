import type { INestApplication } from '@nestjs/common';
import { startService, type StartOptions } from '@metertwin/service-kit';
import { RecognizeModule } from './recognize.module.js';

export { RecognizeModule };
export { RecognizeHandler } from './recognize.handler.js';

export function startRecognize(
  env: Record<string, string | undefined>,
  options?: StartOptions,
): Promise<INestApplication> {
  return startService(RecognizeModule.forRoot(env), options);
}
