import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { webConfig } from './config';

/** Failed sign-ins per e-mail allowed within the window before the account's sign-in pauses. */
export const MAX_FAILURES = 10;
export const WINDOW_SECONDS = 15 * 60;

const g = globalThis as typeof globalThis & { __mtThrottleRedis?: Redis };

function redis(): Redis {
  g.__mtThrottleRedis ??= (() => {
    const r = new Redis(webConfig().REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 1000 });
    r.on('error', () => {});
    return r;
  })();
  return g.__mtThrottleRedis;
}

// Per e-mail, in Redis: every portal instance sees the same count. The e-mail is hashed, not stored.
const key = (email: string) =>
  `metertwin:signin-failures:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;

/**
 * Seconds until sign-in for this e-mail is allowed again, or 0. Guessing passwords costs
 * MAX_FAILURES tries per WINDOW_SECONDS. When Redis does not answer, sign-in stays open (fail open:
 * an outage must not lock everyone out; scrypt still makes every guess slow).
 */
export async function signInBlockedFor(email: string): Promise<number> {
  try {
    const [count, ttl] = await Promise.all([redis().get(key(email)), redis().ttl(key(email))]);
    return Number(count ?? 0) >= MAX_FAILURES ? Math.max(ttl, 1) : 0;
  } catch {
    return 0;
  }
}

export async function recordSignInFailure(email: string): Promise<void> {
  try {
    const k = key(email);
    const count = await redis().incr(k);
    if (count === 1) await redis().expire(k, WINDOW_SECONDS);
  } catch {
    /* see signInBlockedFor */
  }
}

export async function clearSignInFailures(email: string): Promise<void> {
  await redis()
    .del(key(email))
    .catch(() => {});
}
