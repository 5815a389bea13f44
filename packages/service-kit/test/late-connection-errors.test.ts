import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type RedisConnection } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ignoreErrorsAfterClose } from '../src/late-connection-errors.js';

/** The connection BullMQ made for the queue, which re-emits its start's failure as 'error'. */
const connectionOf = (queue: Queue) => (queue as unknown as { connection: RedisConnection }).connection;

describe('ignoreErrorsAfterClose', () => {
  const clients: Redis[] = [];
  afterEach(() => clients.splice(0).forEach((client) => client.disconnect()));

  async function queueOnReadyRedis() {
    const client = new Redis('redis://127.0.0.1:6379');
    clients.push(client);
    await client.ping();
    return new Queue('late-errors', { connection: client, prefix: `late-${Date.now()}` });
  }

  it('still reports a connection error to the open queue', async () => {
    const queue = await queueOnReadyRedis();
    ignoreErrorsAfterClose(queue);
    const heard: string[] = [];
    queue.on('error', (error) => heard.push(error.message));
    connectionOf(queue).emit('error', new Error('connect ECONNREFUSED'));
    expect(heard).toEqual(['connect ECONNREFUSED']);
    await queue.close();
  });

  it("drops an error the closed queue's connection emits later, which BullMQ alone throws", async () => {
    const guarded = await queueOnReadyRedis();
    ignoreErrorsAfterClose(guarded);
    await guarded.close();
    expect(connectionOf(guarded).emit('error', new Error('connect ECONNREFUSED'))).toBe(false);

    const unguarded = await queueOnReadyRedis();
    await unguarded.close();
    expect(() => connectionOf(unguarded).emit('error', new Error('connect ECONNREFUSED'))).toThrow('connect ECONNREFUSED');
  });

  it('leaves no unhandled rejection when a queue closed before its connection was ready sees it end', async () => {
    const unhandled: unknown[] = [];
    const hear = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', hear);
    try {
      // Not connected yet: BullMQ's start waits on connect(), which fails once the client is ended.
      const client = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
      const queue = new Queue('late-errors', { connection: client, prefix: `late-${Date.now()}` });
      ignoreErrorsAfterClose(queue);
      await queue.close();
      client.disconnect();
      await sleep(200);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', hear);
    }
  });
});
