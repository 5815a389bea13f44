import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.js';

export * from './generated/client.js';

/** One client per process; Prisma pools connections through the pg driver adapter. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
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
