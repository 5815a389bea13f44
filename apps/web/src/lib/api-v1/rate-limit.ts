import { Redis } from 'ioredis';
import { webConfig } from '../config';

/**
 * Requests per API key in a fixed window, counted in Redis so every portal instance counts together:
 * the first request of a window starts its clock, the rest count up to the limit, then 429 until it
 * ends. One round trip per request (INCR, and PEXPIRE on the first, in one script).
 */

export interface RateVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
}

export interface ApiRateLimiter {
  /** Counts a request of the key. */
  take(keyId: string): Promise<RateVerdict>;
}

// KEYS: the key's counter. ARGV: window (ms). Returns the count and the ms left in the window.
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ms = redis.call('PTTL', KEYS[1])
if ms < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ms = tonumber(ARGV[1])
end
return {n, ms}
`;

export function createApiRateLimiter(
  redis: Redis,
  policy: { limit: number; windowSeconds: number },
  prefix = 'metertwin:api-rate',
): ApiRateLimiter {
  return {
    async take(keyId) {
      const [count, ms] = (await redis.eval(TAKE, 1, `${prefix}:${keyId}`, policy.windowSeconds * 1000)) as [
        number,
        number,
      ];
      return {
        allowed: count <= policy.limit,
        limit: policy.limit,
        remaining: Math.max(0, policy.limit - count),
        resetSeconds: Math.max(1, Math.ceil(ms / 1000)),
      };
    },
  };
}

/** The headers of every answer to a counted request (IETF RateLimit header fields). */
export function rateLimitHeaders(verdict: RateVerdict, windowSeconds: number): Record<string, string> {
  return {
    'RateLimit-Policy': `${verdict.limit};w=${windowSeconds}`,
    'RateLimit-Limit': String(verdict.limit),
    'RateLimit-Remaining': String(verdict.remaining),
    'RateLimit-Reset': String(verdict.resetSeconds),
  };
}

const g = globalThis as typeof globalThis & { __mtApiRedis?: Redis; __mtApiRate?: ApiRateLimiter };

/** The process's limiter on REDIS_URL with API_RATE_LIMIT per API_RATE_WINDOW_SECONDS. */
export function apiRateLimiter(): ApiRateLimiter {
  g.__mtApiRate ??= (() => {
    const config = webConfig();
    g.__mtApiRedis = new Redis(config.REDIS_URL, {
      connectTimeout: 1000,
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
    });
    g.__mtApiRedis.on('error', () => {});
    return createApiRateLimiter(g.__mtApiRedis, {
      limit: config.API_RATE_LIMIT,
      windowSeconds: config.API_RATE_WINDOW_SECONDS,
    });
  })();
  return g.__mtApiRate;
}
