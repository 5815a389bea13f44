import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.js';

export * from './generated/client.js';

/**
 * Postgres' JIT compiles a query whose estimated cost is high, and the fleet's all-meter figures at
 * 10,000 meters cost more to compile than to run (615 ms warm with JIT, 183 ms without:
 * docs/benchmarks.md). Our queries are short, so JIT is off unless the URL sets its own `options`.
 */
const SESSION_OPTIONS = '-c jit=off';

/** One client per process; Prisma pools connections through the pg driver adapter. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  const ownOptions = URL.canParse(databaseUrl) && new URL(databaseUrl).searchParams.has('options');
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, ...(ownOptions ? {} : { options: SESSION_OPTIONS }) }),
  });
}
export * from './device-tokens.js';
export * from './provisioning.js';
export * from './secret-box.js';
export * from './secrets-env.js';
export * from './secret-fields.js';
export * from './api-keys.js';
export * from './passwords.js';
export * from './meter-adapters.js';
export * from './keyset.js';
export * from './database-unavailable.js';
export * from './ping.js';
export * from './organization.repository.js';
