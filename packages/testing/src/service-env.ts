import { uniqueQueuePrefix } from './database.js';
import { testSecretsKey } from './secrets.js';

/** The admin token every test service is started with. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * The environment a service is started with in a test: the test's own database, the machine's
 * Redis under a fresh queue prefix, loopback on a free port, quiet logs; `overrides` last.
 */
export function serviceTestEnv(
  databaseUrl: string,
  storageDir: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SECRETS_KEY: testSecretsKey(),
    QUEUE_PREFIX: uniqueQueuePrefix(),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    STORAGE_DIR: storageDir,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ...overrides,
  };
}
