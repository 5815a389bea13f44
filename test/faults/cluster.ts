import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@metertwin/testing';

const ROOT = resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** A Redis of the suite's own (never the machine's): paused, killed and restarted at will, with an append-only file. */
export class OwnRedis {
  private process?: ChildProcess;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort(), await mkdtemp(join(tmpdir(), 'metertwin-faults-redis-')));
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => ping(this.port), { timeoutMs: 10_000, what: 'the suite Redis to answer' });
  }

  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async kill(): Promise<void> {
    await signal(this.process, 'SIGKILL');
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Sends a signal and waits for the exit; a process that has exited already is done. */
async function signal(child: ChildProcess | undefined, name: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(name);
  await exited;
}

async function ping(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d: Buffer) => {
      socket.destroy();
      done(d.toString().startsWith('+PONG'));
    });
  });
}

export type ServiceName = 'ingest' | 'preprocess' | 'recognize' | 'notify';

/** One service as its own process (the built dist), so that it can be killed with SIGKILL. */
export class ServiceProcess {
  private process?: ChildProcess;
  log = '';

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(process.execPath, [join(ROOT, `apps/${this.name}/dist/main.js`)], {
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20_000));
    this.process.stdout!.on('data', keep);
    this.process.stderr!.on('data', keep);
    await waitFor(async () => (await fetch(`${this.url}/healthz`).catch(() => null))?.status === 200, {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: `${this.name} to become healthy`,
    });
  }

  async kill(): Promise<void> {
    await signal(this.process, 'SIGKILL');
  }

  async stop(): Promise<void> {
    await Promise.race([signal(this.process, 'SIGTERM'), new Promise((r) => setTimeout(r, 10_000))]);
    await this.kill();
  }
}
