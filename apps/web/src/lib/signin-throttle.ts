import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { webConfig } from './config';

/**
 * Password-guessing limits for sign-in, in Redis so every portal instance counts together.
 *
 * Every attempt is counted as a failure before the password is checked, in the same Lua script that
 * checks the limits (one round trip, atomic: parallel attempts cannot all pass a check made before
 * any of them counted); a successful sign-in takes its own count back.
 *
 * - Per (account, client address): PAIR_LIMIT failures per window, then that pair waits out the
 *   window. This is the lock a guesser runs into, and it is theirs alone: a real user signing in
 *   from another address has a pair of their own. A successful sign-in clears the pair.
 * - Per client address, across all accounts: ADDRESS_LIMIT failures per window (one address trying
 *   a password on many accounts).
 * - Per account, from all addresses: after ACCOUNT_SOFT_LIMIT failures in the window, attempts are
 *   spaced ACCOUNT_BACKOFF_SECONDS apart, never locked for longer, which bounds guessing from many
 *   addresses. An address the account signed in from before (KNOWN_DAYS) is exempt from it, so an
 *   attacker elsewhere cannot keep the real user out.
 */
export const WINDOW_SECONDS = 15 * 60;
export const PAIR_LIMIT = 10;
export const ADDRESS_LIMIT = 50;
export const ACCOUNT_SOFT_LIMIT = 10;
export const ACCOUNT_BACKOFF_SECONDS = 20;
const KNOWN_DAYS = 30;
/** How long Redis may take to answer before sign-in is refused as unavailable. */
const REDIS_TIMEOUT_MS = 1000;

export type SignInVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Redis did not answer. */
  | { allowed: false; reason: 'unavailable' };

// KEYS: address, pair, account, account back-off, known pair.
// ARGV: window (s), address limit, pair limit, account soft limit, back-off (ms).
const RESERVE = `
local function wait_ms(key)
  local ms = redis.call('PTTL', key)
  if ms > 0 then return ms end
  return 1000
end
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[2]) then return wait_ms(KEYS[1]) end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[3]) then return wait_ms(KEYS[2]) end
local known = redis.call('EXISTS', KEYS[5]) == 1
if not known and redis.call('EXISTS', KEYS[4]) == 1 then return wait_ms(KEYS[4]) end
for i = 1, 3 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
end
if not known and tonumber(redis.call('GET', KEYS[3])) >= tonumber(ARGV[4]) then
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[5])
end
return 0
`;

// KEYS: address, pair, account, known pair. ARGV: known (s).
// Takes back the attempt's count (never below zero: the window may have ended in between).
const SUCCEED = `
for _, key in ipairs({KEYS[1], KEYS[3]}) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
redis.call('DEL', KEYS[2])
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return 0
`;

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

export interface SignInThrottle {
  /** Counts an attempt for the e-mail from the address, unless a limit (or Redis being down) refuses it. */
  attempt(email: string, address: string): Promise<SignInVerdict>;
  /** The attempt was the right password: takes its count back, clears the pair, remembers the address. */
  succeeded(email: string, address: string): Promise<void>;
}

export function createSignInThrottle(redis: Redis, prefix = 'metertwin:signin'): SignInThrottle {
  // Keys name e-mails and addresses by hash, not in clear text.
  const keys = (email: string, address: string) => {
    const account = hash(email.trim().toLowerCase());
    const from = hash(address);
    return {
      address: `${prefix}:address:${from}`,
      pair: `${prefix}:pair:${account}:${from}`,
      account: `${prefix}:account:${account}`,
      backoff: `${prefix}:backoff:${account}`,
      known: `${prefix}:known:${account}:${from}`,
    };
  };
  return {
    async attempt(email, address) {
      const k = keys(email, address);
      try {
        const waitMs = Number(
          await redis.eval(
            RESERVE,
            5,
            k.address,
            k.pair,
            k.account,
            k.backoff,
            k.known,
            WINDOW_SECONDS,
            ADDRESS_LIMIT,
            PAIR_LIMIT,
            ACCOUNT_SOFT_LIMIT,
            ACCOUNT_BACKOFF_SECONDS * 1000,
          ),
        );
        if (waitMs === 0) return { allowed: true };
        return { allowed: false, reason: 'throttled', retryAfterSeconds: Math.ceil(waitMs / 1000) };
      } catch {
        // Fail closed: if an outage (which an attacker may be able to cause) let attempts through
        // uncounted, it would switch off every limit above. Sessions already signed in keep working.
        return { allowed: false, reason: 'unavailable' };
      }
    },
    async succeeded(email, address) {
      const k = keys(email, address);
      // Best effort: if Redis is gone now, the attempt stays counted as a failure, which is harmless.
      await redis
        .eval(SUCCEED, 4, k.address, k.pair, k.account, k.known, KNOWN_DAYS * 86_400)
        .catch(() => {});
    },
  };
}

const g = globalThis as typeof globalThis & { __mtThrottleRedis?: Redis; __mtThrottle?: SignInThrottle };

/**
 * The process's Redis connection for abuse limits (sign-in, password reset requests) on REDIS_URL;
 * a command that gets no answer within a second fails.
 */
export function throttleRedis(): Redis {
  g.__mtThrottleRedis ??= (() => {
    const redis = new Redis(webConfig().REDIS_URL, {
      connectTimeout: REDIS_TIMEOUT_MS,
      commandTimeout: REDIS_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
    });
    redis.on('error', () => {});
    return redis;
  })();
  return g.__mtThrottleRedis;
}

/** The process's sign-in throttle on throttleRedis(). */
export function signInThrottle(): SignInThrottle {
  g.__mtThrottle ??= createSignInThrottle(throttleRedis());
  return g.__mtThrottle;
}
