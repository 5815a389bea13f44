import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { waitFor } from '@metertwin/testing';

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One Redis command over a raw socket; resolves with the raw reply, or undefined without an answer within a second. */
export function redisCommand(port: number, ...args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (reply: string | undefined) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(1_000, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('data', (data) => done(data.toString()));
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/** True when a Redis answers on the port. */
export const pings = async (port: number) => (await redisCommand(port, 'PING'))?.startsWith('+PONG') ?? false;

/**
 * A redis-server of the test's own on a free port (never the machine's Redis on 6379), to take down,
 * pause and bring back: `redis-server` is installed where the tests run. Without persistence, or
 * with an append-only file synced on every write in `appendOnlyDir` (as production runs it).
 */
export async function startRedisServer(port?: number, { appendOnlyDir }: { appendOnlyDir?: string } = {}) {
  const at = port ?? (await freePort());
  const persistence = appendOnlyDir ? ['--dir', appendOnlyDir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  let child: ChildProcess | undefined;
  const redis = {
    port: at,
    url: `redis://127.0.0.1:${at}`,
    /** Starts it again after `kill` (a no-op while it runs). */
    async start() {
      if (child) return;
      const started = spawn('redis-server', ['--port', String(at), '--bind', '127.0.0.1', '--save', '', ...persistence], { stdio: 'ignore' });
      // Not left behind when the test process ends first.
      process.once('exit', () => started.kill('SIGKILL'));
      child = started;
      await waitFor(() => pings(at), { what: `redis-server on port ${at}`, timeoutMs: 10_000 });
    },
    /** SIGKILL: connections drop, and what it held is gone. */
    async kill() {
      const dying = child;
      child = undefined;
      if (!dying || dying.exitCode !== null) return;
      const exited = new Promise((resolve) => dying.once('exit', resolve));
      dying.kill('SIGKILL');
      await exited;
    },
    /** SIGSTOP: connections stay open and nothing answers. */
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
  await redis.start();
  return redis;
}
