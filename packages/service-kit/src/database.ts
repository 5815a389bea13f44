import type { Provider } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import type { BaseEnv } from './config.js';
import { CONFIG } from './tokens.js';

export const PRISMA = Symbol('PRISMA');

export const prismaProvider: Provider = {
  provide: PRISMA,
  inject: [CONFIG],
  useFactory: (config: BaseEnv): PrismaClient => createPrismaClient(config.DATABASE_URL),
};
