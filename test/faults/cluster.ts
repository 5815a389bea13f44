import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { waitFor } from '@metertwin/testing';

const ROOT = resolve(import.meta.dirname, '../..');

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

  /** The running process's id (bench:pipeline reads its CPU time from /proc). */
  get pid(): number | undefined {
    return this.process?.pid;
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

/** Sends a signal and waits for the exit; a process that has exited already is done. */
async function signal(child: ChildProcess | undefined, name: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(name);
  await exited;
}
