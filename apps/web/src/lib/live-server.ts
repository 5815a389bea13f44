import { LiveChannel, type LiveEvent } from '@metertwin/contracts';
import { webConfig } from './config';
import { Redis } from 'ioredis';
import { LiveHub } from './live';

const g = globalThis as typeof globalThis & { __mtLiveHub?: LiveHub };

/** The process's live hub (see LiveHub). */
export function liveHub(): LiveHub {
  g.__mtLiveHub ??= new LiveHub(webConfig().REDIS_URL);
  return g.__mtLiveHub;
}

const gp = globalThis as typeof globalThis & { __mtRedisProbe?: Redis };

/** Pings Redis with a short timeout (health check); false when it does not answer. */
export async function redisAnswers(timeoutMs = 1500): Promise<boolean> {
  gp.__mtRedisProbe ??= (() => {
    const r = new Redis(webConfig().REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: timeoutMs,
    });
    r.on('error', () => {});
    return r;
  })();
  try {
    const pong = await withTimeout(gp.__mtRedisProbe.ping(), timeoutMs);
    return pong === 'PONG';
  } catch {
    return false;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

const gpub = globalThis as typeof globalThis & { __mtLivePublisher?: Redis };

/** Publishes an event on the live channel (what recognize does when it stores a reading). */
export async function publishLive(event: LiveEvent): Promise<void> {
  gpub.__mtLivePublisher ??= (() => {
    const r = new Redis(webConfig().REDIS_URL, { maxRetriesPerRequest: 1 });
    r.on('error', () => {});
    return r;
  })();
  await gpub.__mtLivePublisher.publish(LiveChannel, JSON.stringify(event));
}
