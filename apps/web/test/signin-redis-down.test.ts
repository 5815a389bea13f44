import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { createUser, signInRequest, type TestUser } from './support/auth';

/**
 * The sign-in route with its Redis gone (REDIS_URL on a port nothing listens on; a file of its own,
 * so its process never had a working Redis client): sign-in is refused, even with the right password.
 */
let db: TestDatabase;
let prisma: PrismaClient;
let user: TestUser;
let signInPOST: typeof import('../src/app/api/auth/signin/route').POST;

/** A port that was free a moment ago, and that nothing listens on now. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.REDIS_URL = `redis://127.0.0.1:${await closedPort()}`;
  ({ POST: signInPOST } = await import('../src/app/api/auth/signin/route'));
  prisma = createPrismaClient(db.url);
  user = await createUser(prisma, { orgId: await createOrg(prisma) });
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient; __mtThrottleRedis?: { disconnect(): void } };
  g.__mtThrottleRedis?.disconnect();
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

describe('sign-in without Redis', () => {
  it('answers "try again shortly" within seconds and signs nobody in', async () => {
    const started = Date.now();
    const res = await signInPOST(
      signInRequest({ email: user.email, password: user.password, next: '/alarms' }),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?error=unavailable&next=%2Falarms');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await prisma.session.count()).toBe(0);
  });
});
