import type { Provider } from '@nestjs/common';
import { createStorage, type StorageEnv } from '@metertwin/storage';
import { CONFIG } from './tokens.js';

export const STORAGE = Symbol('STORAGE');

/** Capture image storage for services whose env schema includes StorageEnvSchema. */
export const storageProvider: Provider = {
  provide: STORAGE,
  inject: [CONFIG],
  useFactory: (config: StorageEnv) => createStorage(config),
};
