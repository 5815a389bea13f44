import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { clientAddress } from '../src/lib/client-address';
import {
  ACCOUNT_BACKOFF_SECONDS,
  ADDRESS_LIMIT,
  createSignInThrottle,
  PAIR_LIMIT,
} from '../src/lib/signin-throttle';
import { createOrg } from './fixtures';
import { createUser, randomClientAddress, signInRequest, type TestUser } from './support/auth';

/**
 * Sign-in throttling against the real Redis, through the real sign-in route (every test uses fresh
 * e-mails and addresses, so runs do not throttle each other).
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let db: TestDatabase;
let prisma: PrismaClient;
let orgId: string;
let signInPOST: typeof import('../src/app/api/auth/signin/route').POST;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.REDIS_URL = REDIS_URL;
  ({ POST: signInPOST } = await import('../src/app/api/auth/signin/route'));
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient; __mtThrottleRedis?: { quit(): Promise<unknown> } };
  await g.__mtThrottleRedis?.quit();
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

/** Where the route sent the browser: `invalid`, `throttled` (+ retry), `unavailable`, or signed in. */
async function attempt(email: string, password: string, address: string) {
  const res = await signInPOST(signInRequest({ email, password }, { 'x-forwarded-for': address }));
  const location = new URL(res.headers.get('location')!, 'http://portal.test');
  return {
    signedIn: res.headers.get('set-cookie')?.startsWith('mt_session=') ?? false,
    error: location.searchParams.get('error'),
    retry: Number(location.searchParams.get('retry')),
  };
}

const unknownEmail = () => `nobody-${randomUUID().slice(0, 8)}@example.test`;

describe('sign-in throttling through the route', () => {
  let user: TestUser;

  beforeAll(async () => {
    user = await createUser(prisma, { orgId });
  });

  it(`lets at most ${PAIR_LIMIT} of 30 parallel wrong passwords be checked`, async () => {
    const address = randomClientAddress();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(user.email, `wrong ${i}`, address)),
    );
    const checked = results.filter((r) => r.error === 'invalid').length;
    expect(checked).toBe(PAIR_LIMIT);
    expect(results.filter((r) => r.error === 'throttled')).toHaveLength(30 - PAIR_LIMIT);
    // That address is now refused even the right password.
    expect(await attempt(user.email, user.password, address)).toMatchObject({
      signedIn: false,
      error: 'throttled',
    });
  });

  it(`refuses an address after ${ADDRESS_LIMIT} failures spread over many accounts, and only that address`, async () => {
    const address = randomClientAddress();
    // Five wrong passwords on each of ten accounts: under the per-account limit every time.
    for (let account = 0; account < ADDRESS_LIMIT / 5; account++) {
      const email = unknownEmail();
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => attempt(email, `guess ${i}`, address)),
      );
      expect(results.map((r) => r.error)).toEqual(Array(5).fill('invalid'));
    }
    const fresh = await createUser(prisma, { orgId });
    expect(await attempt(fresh.email, fresh.password, address)).toMatchObject({
      signedIn: false,
      error: 'throttled',
    });
    expect((await attempt(fresh.email, fresh.password, randomClientAddress())).signedIn).toBe(true);
  });

  it('does not let an attacker elsewhere lock the real user out', async () => {
    const victim = await createUser(prisma, { orgId });
    const home = randomClientAddress();
    expect((await attempt(victim.email, victim.password, home)).signedIn).toBe(true);
    // 30 guesses from the attacker's address, and 3 from each of ten more.
    const attacker = randomClientAddress();
    for (let i = 0; i < 30; i++) await attempt(victim.email, `guess ${i}`, attacker);
    for (let a = 0; a < 10; a++) {
      const elsewhere = randomClientAddress();
      for (let i = 0; i < 3; i++) await attempt(victim.email, `guess ${a}.${i}`, elsewhere);
    }
    expect(await attempt(victim.email, 'guess again', attacker)).toMatchObject({ error: 'throttled' });
    // From the address the victim signed in from before: straight in.
    expect((await attempt(victim.email, victim.password, home)).signedIn).toBe(true);
    // From a new address: a short back-off, not the attacker's lock.
    const roaming = await attempt(victim.email, victim.password, randomClientAddress());
    expect(roaming.error).toBe('throttled');
    expect(roaming.retry).toBeGreaterThan(0);
    expect(roaming.retry).toBeLessThanOrEqual(ACCOUNT_BACKOFF_SECONDS);
  });

  it('clears the pair on a successful sign-in', async () => {
    const someone = await createUser(prisma, { orgId });
    const address = randomClientAddress();
    for (let i = 0; i < PAIR_LIMIT - 1; i++) await attempt(someone.email, `typo ${i}`, address);
    expect((await attempt(someone.email, someone.password, address)).signedIn).toBe(true);
    for (let i = 0; i < PAIR_LIMIT - 1; i++) {
      expect((await attempt(someone.email, `typo ${i}`, address)).error).toBe('invalid');
    }
    expect((await attempt(someone.email, someone.password, address)).signedIn).toBe(true);
  });
});

describe('createSignInThrottle', () => {
  it('counts atomically: 200 parallel attempts, exactly the limit allowed', async () => {
    const redis = new Redis(REDIS_URL);
    const throttle = createSignInThrottle(redis, `metertwin:test:${randomUUID()}`);
    const verdicts = await Promise.all(
      Array.from({ length: 200 }, () => throttle.attempt('a@example.test', '192.0.2.1')),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(PAIR_LIMIT);
    await redis.quit();
  });

  it('fails closed, within about a second, when Redis does not answer', async () => {
    // A port nothing listens on.
    const closed = new Redis('redis://127.0.0.1:1', {
      connectTimeout: 1000,
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
    });
    closed.on('error', () => {});
    const started = Date.now();
    expect(await createSignInThrottle(closed).attempt('a@example.test', '192.0.2.1')).toEqual({
      allowed: false,
      reason: 'unavailable',
    });
    expect(Date.now() - started).toBeLessThan(2500);
    closed.disconnect();
  });
});

describe('clientAddress', () => {
  const from = (xff?: string) =>
    new Request('http://portal.test/', { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });

  it('takes the entry the trusted proxies vouch for', () => {
    // next start alone: the socket's address, the only entry.
    expect(clientAddress(from('192.0.2.7'), 0)).toBe('192.0.2.7');
    // One proxy appended the client it saw to what the client claimed.
    expect(clientAddress(from('10.0.0.1, 192.0.2.7'), 1)).toBe('192.0.2.7');
    // Two proxies: the outer one's entry, not the inner proxy's address.
    expect(clientAddress(from('10.0.0.1, 192.0.2.7, 172.16.0.2'), 2)).toBe('192.0.2.7');
    expect(clientAddress(from('192.0.2.7'), 3)).toBe('192.0.2.7');
    expect(clientAddress(from(), 0)).toBe('unknown');
  });

  it('buckets IPv6 by /64, unmaps IPv4-mapped addresses, and lumps non-addresses together', () => {
    expect(clientAddress(from('2001:db8:1:2:3:4:5:6'), 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(from('2001:DB8:1:2::ff'), 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(from('2001:db8::1'), 0)).toBe('2001:db8:0:0::/64');
    expect(clientAddress(from('::ffff:192.0.2.7'), 0)).toBe('192.0.2.7');
    expect(clientAddress(from('::1'), 0)).toBe('0:0:0:0::/64');
    expect(clientAddress(from('evil'), 0)).toBe('invalid');
    expect(clientAddress(from('1.2.3.4.5'), 0)).toBe('invalid');
  });
});
