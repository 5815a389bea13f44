import 'reflect-metadata';
import { ConfigError } from '@metertwin/service-kit';
import { startPreprocess } from './index.js';

startPreprocess(process.env).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `preprocess: ${error.message}` : error);
  process.exit(1);
});
