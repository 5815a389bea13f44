import { LiveChannel, LiveEventSchema, type LiveEvent } from '@metertwin/contracts';
import { Redis } from 'ioredis';

type Listener = (event: LiveEvent) => void;

/**
 * One Redis subscriber per process, fanned out to every open event stream: a thousand open browser
 * tabs cost one Redis connection, not a thousand.
 */
export class LiveHub {
  private subscriber: Redis | undefined;
  private readonly listeners = new Set<Listener>();
  private ready: Promise<void> | undefined;

  constructor(private readonly redisUrl: string) {}

  /** Calls `listener` for every valid event on the live channel until the returned function is called. */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await this.connect();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const sub = this.subscriber;
    this.subscriber = undefined;
    this.ready = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }

  private connect(): Promise<void> {
    this.ready ??= (async () => {
      // Reconnects on its own (ioredis resubscribes after a reconnect); never gives up on commands.
      const sub = new Redis(this.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
      sub.on('error', () => {
        /* reconnection is automatic; an unhandled 'error' would crash the process */
      });
      sub.on('message', (channel: string, message: string) => {
        if (channel !== LiveChannel) return;
        let json: unknown;
        try {
          json = JSON.parse(message);
        } catch {
          return;
        }
        const parsed = LiveEventSchema.safeParse(json);
        if (!parsed.success) return;
        for (const listener of this.listeners) listener(parsed.data);
      });
      this.subscriber = sub;
      try {
        await sub.connect();
        await sub.subscribe(LiveChannel);
      } catch (error) {
        this.subscriber = undefined;
        this.ready = undefined;
        sub.disconnect();
        throw error;
      }
    })();
    return this.ready;
  }
}

/** Server-sent event framing: `event:` carries the LiveEvent type, `data:` the JSON. */
export function sseMessage(event: LiveEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export const SSE_HEARTBEAT_MS = 20_000;

/** A text/event-stream response of the hub's events, filtered to one meter when `meterId` is given. */
export async function liveEventStream(
  hub: LiveHub,
  options: {
    meterId?: string | null;
    signal: AbortSignal;
    heartbeatMs?: number;
    /** Which events this viewer may see (their organization's meters); sync when it can be. */
    allow?: (event: LiveEvent) => boolean | Promise<boolean>;
  },
): Promise<Response> {
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const send = (text: string) => {
    if (closed || !controller) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      stop();
    }
  };
  // Subscribed before the response exists, so a Redis outage becomes an error status, not an empty stream.
  const unsubscribe = await hub.subscribe((event) => {
    if (options.meterId && event.meterId !== options.meterId) return;
    const allowed = options.allow ? options.allow(event) : true;
    if (allowed === true) send(sseMessage(event));
    else if (allowed !== false)
      void allowed.then(
        (ok) => ok && send(sseMessage(event)),
        () => {},
      );
  });
  function stop() {
    if (closed) return;
    closed = true;
    unsubscribe();
    if (heartbeat) clearInterval(heartbeat);
    try {
      controller?.close();
    } catch {
      /* already closed or cancelled */
    }
  }

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      // The browser waits 5 s before reconnecting after a dropped stream.
      send(': metertwin live events\nretry: 5000\n\n');
      heartbeat = setInterval(() => send(': keep-alive\n\n'), options.heartbeatMs ?? SSE_HEARTBEAT_MS);
    },
    cancel: stop,
  });
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
