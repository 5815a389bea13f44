import type { QueueBase, RedisConnection } from 'bullmq';

/**
 * BullMQ 5.81 closes a queue's or worker's connection by removing all of its listeners, yet a
 * connection whose start still waits for Redis rejects that start later, when its client ends, and
 * re-emits the rejection as 'error'. With no listener left, every such connection becomes an unhandled
 * rejection (a service stopped during a Redis outage). This drops an 'error' nobody listens to any
 * more; while the queue or worker is open, its own 'error' event still reports the outage.
 */
export function ignoreErrorsAfterClose(owner: QueueBase): void {
  const internals = owner as unknown as { connection?: RedisConnection; blockingConnection?: RedisConnection };
  for (const connection of [internals.connection, internals.blockingConnection]) {
    if (!connection) continue;
    const emit = connection.emit.bind(connection);
    connection.emit = (event: string | symbol, ...args: unknown[]) =>
      event === 'error' && connection.listenerCount('error') === 0 ? false : emit(event, ...args);
  }
}
