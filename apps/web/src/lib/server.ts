import { createPrismaClient, secretBoxFrom, type PrismaClient, type SecretBox } from '@metertwin/db';
import { createStorage, type ImageStorage } from '@metertwin/storage';
import { webConfig } from './config';

// One Prisma client and one storage per process; kept on globalThis so dev-mode reloads reuse them.
const g = globalThis as typeof globalThis & {
  __mtPrisma?: PrismaClient;
  __mtStorage?: ImageStorage;
  __mtSecrets?: SecretBox;
};

export function prisma(): PrismaClient {
  g.__mtPrisma ??= createPrismaClient(webConfig().DATABASE_URL);
  return g.__mtPrisma;
}

export function storage(): ImageStorage {
  g.__mtStorage ??= createStorage(webConfig());
  return g.__mtStorage;
}

/** Seals the credentials the portal stores (a camera's password at onboarding). */
export function secrets(): SecretBox {
  g.__mtSecrets ??= secretBoxFrom(webConfig());
  return g.__mtSecrets;
}
