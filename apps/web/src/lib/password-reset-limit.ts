import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * How often "forgot password" may send mail, so the form cannot flood an inbox or the SMTP server:
 * RESET_PER_EMAIL links per address and RESET_PER_CLIENT requests per client address in a window.
 * Over a limit the request is dropped quietly: the form's answer stays the same for every address.
 */
export const RESET_WINDOW_SECONDS = 60 * 60;
export const RESET_PER_EMAIL = 3;
export const RESET_PER_CLIENT = 20;

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/** Counts a request; true while both counts are within their limits. Redis failing: false (no mail). */
export async function allowPasswordResetMail(
  redis: Redis,
  email: string,
  clientAddress: string,
  prefix = 'metertwin:password-reset',
): Promise<boolean> {
  const keys = [
    [`${prefix}:email:${hash(email.trim().toLowerCase())}`, RESET_PER_EMAIL],
    [`${prefix}:client:${hash(clientAddress)}`, RESET_PER_CLIENT],
  ] as const;
  try {
    const pipeline = redis.pipeline();
    for (const [key] of keys) pipeline.set(key, '0', 'EX', RESET_WINDOW_SECONDS, 'NX').incr(key);
    const results = (await pipeline.exec()) ?? [];
    const counts = keys.map((_, i) => {
      const [error, count] = results[i * 2 + 1] ?? [new Error('no answer')];
      if (error) throw error;
      return Number(count);
    });
    return keys.every(([, limit], i) => counts[i]! <= limit);
  } catch {
    return false;
  }
}
