import 'reflect-metadata';
import { ConfigError } from '@metertwin/service-kit';
import { startIngest } from './index.js';

startIngest(process.env).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `ingest: ${error.message}` : error);
  process.exit(1);
});
