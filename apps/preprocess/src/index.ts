import type { INestApplication } from '@nestjs/common';
import { startService, type StartOptions } from '@metertwin/service-kit';
import { PreprocessModule } from './preprocess.module.js';

export { PreprocessModule };

export function startPreprocess(
  env: Record<string, string | undefined>,
  options?: StartOptions,
): Promise<INestApplication> {
  return startService(PreprocessModule.forRoot(env), options);
}
