import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createStorage, type ImageStorage } from '@metertwin/storage';
import { webConfig } from './config';

// One Prisma client and one storage per process; kept on globalThis so dev-mode reloads reuse them.
const g = globalThis as typeof globalThis & { __mtPrisma?: PrismaClient; __mtStorage?: ImageStorage };

export function prisma(): PrismaClient {
  g.__mtPrisma ??= createPrismaClient(webConfig().DATABASE_URL);
  return g.__mtPrisma;
}

export function storage(): ImageStorage {
  g.__mtStorage ??= createStorage(webConfig());
  return g.__mtStorage;
}
