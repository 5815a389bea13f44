import 'reflect-metadata';
import { ConfigError } from '@metertwin/service-kit';
import { startNotify } from './index.js';

startNotify(process.env).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `notify: ${error.message}` : error);
  process.exit(1);
});
