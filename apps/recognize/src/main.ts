import 'reflect-metadata';
import { ConfigError } from '@metertwin/service-kit';
import { startRecognize } from './index.js';

startRecognize(process.env).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `recognize: ${error.message}` : error);
  process.exit(1);
});
