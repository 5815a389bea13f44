import type { PrismaClient } from './generated/client.js';

/** Resolves when the database answers a query: the health check of the services and of the portal. */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
