import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { JobSchemas, type JobPayload, type QueueName } from '@metertwin/contracts';
import type { BaseEnv } from './config.js';
import { LOGGER, type Logger } from './logger.js';
import { MetricsService } from './metrics.service.js';
import { ON_JOB, type OnJobOptions } from './on-job.decorator.js';
import type { ServiceOptions } from './service-options.js';
import { ignoreErrorsAfterClose } from './late-connection-errors.js';
import { CONFIG, SERVICE_OPTIONS } from './tokens.js';

export interface JobContext {
  log: Logger;
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  /** No retry follows if this attempt throws. */
  finalAttempt: boolean;
}

export type JobHandler<Q extends QueueName> = (payload: JobPayload<Q>, context: JobContext) => Promise<void>;

interface Registration {
  options: OnJobOptions;
  handler: JobHandler<QueueName>;
  owner: string;
}

/** How often a closing worker's connection is looked at, and how long in-flight jobs may take at most. */
const SHUTDOWN_POLL_MS = 100;
const SHUTDOWN_GRACE_MS = 15_000;
/** How long a cut worker may still take to close. */
const SHUTDOWN_CUT_WAIT_MS = 2_000;

interface HostedWorker {
  worker: Worker;
  /** The worker's own command connection: BullMQ leaves it open at close, WorkerHost ends it. */
  connection: Redis;
}

/**
 * Finds the @OnJob handlers and runs one BullMQ worker per consumed queue. A payload that breaks its
 * contract fails at once (no retries) with the reason, before any handler code runs. On shutdown the
 * workers stop taking jobs and wait for the ones in flight.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers: HostedWorker[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly metrics: MetricsService,
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
    @Inject(CONFIG) private readonly config: BaseEnv,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const registrations = this.findHandlers();
    for (const queue of this.options.consumes) {
      const found = registrations.filter((r) => r.options.queue === queue);
      if (found.length !== 1) {
        const owners = found.map((r) => r.owner).join(', ') || 'none';
        throw new Error(`queue "${queue}" needs exactly one @OnJob handler, found: ${owners}`);
      }
      this.workers.push(this.startWorker(found[0]!));
    }
    const stray = registrations.filter((r) => !this.options.consumes.includes(r.options.queue));
    if (stray.length > 0) throw new Error(`@OnJob for queues this service does not consume: ${stray.map((r) => r.owner)}`);
  }

  /**
   * Drains the workers (in-flight jobs finish) before anything they use is released: providers free
   * their resources in onApplicationShutdown, and the queues and connections close last.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((hosted) => this.close(hosted)));
  }

  /**
   * A graceful close waits for Redis without end while the connection is down (a job's outcome, the
   * final QUIT: taskforcesh/bullmq#4656). Once the connection is found down, or the grace is spent,
   * it is cut, and the jobs in flight are retried when BullMQ finds them stalled.
   */
  private async close({ worker, connection }: HostedWorker): Promise<void> {
    const closing = worker.close(connection.status !== 'ready');
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    let closed = false;
    const settle = () => (closed = true);
    closing.then(settle, settle);
    while (!closed && connection.status === 'ready' && Date.now() < deadline) await sleep(SHUTDOWN_POLL_MS);
    connection.disconnect();
    // A command sent just before Redis died, between two reconnect attempts, stays pending after the
    // cut (ioredis has no socket left to close, and BullMQ would retry a failed one without pause while
    // closing): the close waits for it no longer than this, leaving nothing behind that holds the process.
    await Promise.race([closing, sleep(SHUTDOWN_CUT_WAIT_MS)]);
    if (!closed) this.log.warn({ queue: worker.name }, 'worker left with Redis down: a job in flight is retried once found stalled');
  }

  private findHandlers(): Registration[] {
    const found: Registration[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const options = this.reflector.get<OnJobOptions | undefined>(ON_JOB, fn);
        if (options) {
          found.push({ options, handler: fn.bind(instance), owner: `${prototype.constructor.name}.${method}` });
        }
      }
    }
    return found;
  }

  private startWorker({ options, handler }: Registration): HostedWorker {
    const queue = options.queue;
    // Waiting for Redis as BullMQ requires of workers; the blocking connection is BullMQ's copy of it.
    const connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined); // the worker's 'error' event below reports it once
    const worker = new Worker(queue, (job) => this.process(queue, handler, job), {
      connection,
      prefix: this.config.QUEUE_PREFIX,
      concurrency: options.concurrency ?? 2,
    });
    ignoreErrorsAfterClose(worker);
    worker.on('failed', (job, error) => {
      const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
      this.metrics.jobFailures.inc({ queue, final: String(final) });
      this.log.warn({ queue, jobId: job?.id, attempt: job?.attemptsMade, final, err: error.message }, 'job failed');
    });
    worker.on('error', (error) => this.log.error({ queue, err: error.message }, 'worker error'));
    return { worker, connection };
  }

  private async process(queue: QueueName, handler: JobHandler<QueueName>, job: Job): Promise<void> {
    const parsed = JobSchemas[queue].safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`malformed ${queue} job: ${z.prettifyError(parsed.error)}`);
    }
    const payload = parsed.data;
    const log = this.log.child({
      queue,
      jobId: job.id,
      ...('captureId' in payload ? { captureId: payload.captureId } : {}),
      ...('meterId' in payload ? { meterId: payload.meterId } : {}),
      ...('alarmId' in payload ? { alarmId: payload.alarmId } : {}),
    });
    const attempt = job.attemptsMade + 1;
    if (attempt === 1) this.metrics.jobWait.observe({ queue }, Math.max(0, Date.now() - job.timestamp) / 1000);
    const stop = this.metrics.jobDuration.startTimer({ queue });
    try {
      await handler(payload, {
        log,
        jobId: job.id ?? '',
        attempt,
        finalAttempt: attempt >= (job.opts.attempts ?? 1),
      });
      stop({ outcome: 'completed' });
    } catch (error) {
      stop({ outcome: 'failed' });
      throw error;
    }
  }
}
