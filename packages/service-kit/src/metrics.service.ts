import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueName } from '@metertwin/contracts';
import { QueueService } from './queue.service.js';
import { SERVICE_OPTIONS } from './tokens.js';
import type { ServiceOptions } from './service-options.js';

/** Prometheus metrics of one service. A registry per service, so services sharing a process stay apart. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly jobDuration = new Histogram({
    name: 'metertwin_job_duration_seconds',
    help: 'Time spent processing one job',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  /** Queue lag: from a job's enqueue to a worker taking it (first attempts only: retries wait on purpose). */
  readonly jobWait = new Histogram({
    name: 'metertwin_job_wait_seconds',
    help: 'Time a job waited in its queue before a worker took it (first attempt)',
    labelNames: ['queue'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly jobFailures = new Counter({
    name: 'metertwin_job_failures_total',
    help: 'Jobs that threw, by queue and whether they will be retried',
    labelNames: ['queue', 'final'] as const,
    registers: [this.registry],
  });

  constructor(@Inject(SERVICE_OPTIONS) options: ServiceOptions, queues: QueueService) {
    this.registry.setDefaultLabels({ service: options.serviceName });
    collectDefaultMetrics({ register: this.registry });
    const watched = [...new Set<QueueName>([...options.consumes, ...options.produces])];
    new Gauge({
      name: 'metertwin_queue_jobs',
      help: 'Jobs in each queue by state, read when scraped',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        // Without Redis the gauge is left out, so /metrics still answers (and shows the reconciler's counts).
        this.reset();
        for (const name of watched) {
          const counts = await queues.counts(name).catch(() => ({}));
          for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        }
      },
    });
  }

  /** Registers a service-specific metric in this service's registry. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
