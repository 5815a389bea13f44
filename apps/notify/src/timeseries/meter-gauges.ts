import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, MetricsService, PRISMA } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { findLatestPerMeter, type MeterLatest } from './reading-export.repository.js';

const LABELS = ['org', 'meter_id', 'meter', 'unit'] as const;

/**
 * Per-meter gauges on notify's /metrics (METER_METRICS=true): each meter's latest accepted value, its
 * flow and its time, read from Postgres when scraped, so every replica answers the same.
 */
@Injectable()
export class MeterGauges implements OnModuleInit {
  /** One query serves the three gauges of a scrape. */
  private scrape?: { at: number; rows: Promise<MeterLatest[]> };

  constructor(
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    if (!this.config.METER_METRICS) return;
    this.gauge('metertwin_meter_reading', "The meter's latest accepted reading, in its unit", (m) => m.numeric);
    this.gauge('metertwin_meter_flow_per_hour', 'Flow between the latest two accepted readings, units per hour', (m) => m.flowPerHour);
    this.gauge('metertwin_meter_reading_timestamp_seconds', 'When the photo of the latest accepted reading was taken', (m) => m.takenAt.getTime() / 1000);
  }

  private gauge(name: string, help: string, value: (latest: MeterLatest) => number | null): void {
    const latest = () => this.latest();
    new Gauge({
      name,
      help,
      labelNames: LABELS,
      registers: [this.metrics.registry],
      async collect() {
        this.reset();
        for (const m of await latest()) {
          const v = value(m);
          if (v !== null) this.set({ org: m.orgSlug, meter_id: m.meterId, meter: m.meterName, unit: m.unit }, v);
        }
      },
    });
  }

  private latest(): Promise<MeterLatest[]> {
    if (!this.scrape || Date.now() - this.scrape.at > 1_000) {
      const rows = findLatestPerMeter(this.prisma);
      rows.catch(() => (this.scrape = undefined)); // a failed query is not served to the next scrape
      this.scrape = { at: Date.now(), rows };
    }
    return this.scrape.rows;
  }
}
