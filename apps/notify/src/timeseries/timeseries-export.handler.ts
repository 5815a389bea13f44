import { Inject, Injectable } from '@nestjs/common';
import { QueueName, type TimeSeriesExportJob } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, OnJob, PRISMA, UnrecoverableError } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { InfluxRefusedError, InfluxWriter } from './influx.writer.js';
import { findExportedReading } from './reading-export.repository.js';
import { readingPoint } from './reading-point.js';

/** Writes an accepted reading to InfluxDB; a database that is down is retried with backoff by the job. */
@Injectable()
export class TimeSeriesExportHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    private readonly influx: InfluxWriter,
  ) {}

  @OnJob({ queue: QueueName.TimeSeriesExport, concurrency: 4 })
  async export(job: TimeSeriesExportJob): Promise<void> {
    const reading = await findExportedReading(this.prisma, job.readingId);
    if (!reading) throw new UnrecoverableError(`reading ${job.readingId} does not exist`);
    // An operator may have rejected it since: only accepted values are exported.
    if (reading.status !== 'accepted' || reading.numeric === null) return;
    try {
      await this.influx.write(readingPoint(this.config.INFLUX_MEASUREMENT, { ...reading, numeric: reading.numeric }));
    } catch (error) {
      if (error instanceof InfluxRefusedError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
