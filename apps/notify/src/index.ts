import type { INestApplication } from '@nestjs/common';
import { startService, type StartOptions } from '@metertwin/service-kit';
import { NotifyModule } from './notify.module.js';

export { NotifyModule };

export function startNotify(
  env: Record<string, string | undefined>,
  options?: StartOptions,
): Promise<INestApplication> {
  return startService(NotifyModule.forRoot(env), options);
}
