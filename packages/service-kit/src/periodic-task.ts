import type { Logger } from './logger.js';

export interface PeriodicTaskSpec {
  /** One run of the work. */
  run: () => Promise<void>;
  /** The run at start, when it differs from the later ones (default: `run`). */
  first?: () => Promise<void>;
  /** How a failed run is logged: `{ ...fields, err: message }` at `level` (default error). */
  failure: { message: string; level?: 'warn' | 'error'; fields?: Record<string, unknown> };
}

/**
 * Work a service does on its own timer: once at start, then every `everyMs` on an unref'd interval
 * (the timer never keeps a process alive). One run at a time: a tick while a run is still going is
 * skipped, not queued. A failed run is logged and the next tick tries again; stop() waits for the run
 * in flight, so callers stop it before the connections it uses close.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly log: Logger,
    private readonly spec: PeriodicTaskSpec,
  ) {}

  /** Not awaited: a service must start even when the first run cannot succeed yet. */
  start(everyMs: number): void {
    this.tick(this.spec.first ?? this.spec.run);
    this.timer = setInterval(() => this.tick(this.spec.run), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(run: () => Promise<void>): void {
    if (this.running) return;
    const { message, level = 'error', fields } = this.spec.failure;
    // the executor calls run at once, and turns a synchronous throw into a logged failure too
    this.running = new Promise<void>((resolve) => resolve(run()))
      .catch((error: unknown) => this.log[level]({ ...fields, err: error instanceof Error ? error.message : String(error) }, message))
      .finally(() => (this.running = undefined));
  }
}
