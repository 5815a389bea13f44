import { Inject, Injectable } from '@nestjs/common';
import { HttpError, InfluxDB, setLogger, type Point } from '@influxdata/influxdb-client';
import { CONFIG, LOGGER, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';

/** A write InfluxDB refused for good (bad token, unknown bucket, malformed point): retrying cannot help. */
export class InfluxRefusedError extends Error {}

/**
 * Writes points to InfluxDB through its official client, one write per call: durability and retries
 * are the export job's (BullMQ), so the client buffers nothing and retries nothing itself.
 */
@Injectable()
export class InfluxWriter {
  private readonly influx?: InfluxDB;

  constructor(
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) log: Logger,
  ) {
    // The client logs each failed write itself; the failed job reports it once already.
    setLogger({ error: (message, error) => log.debug({ err: error?.message }, message), warn: (message, error) => log.debug({ err: error?.message }, message) });
    if (config.INFLUX_URL) this.influx = new InfluxDB({ url: config.INFLUX_URL, token: config.INFLUX_TOKEN, timeout: config.INFLUX_TIMEOUT_MS });
  }

  get enabled(): boolean {
    return this.influx !== undefined;
  }

  async write(point: Point): Promise<void> {
    if (!this.influx) throw new InfluxRefusedError('no InfluxDB is configured (INFLUX_URL)');
    // A batch larger than one point and no timer: only close() sends, and it rejects when the write fails
    // (a send started by writePoint itself would swallow the error).
    const api = this.influx.getWriteApi(this.config.INFLUX_ORG ?? '', this.config.INFLUX_BUCKET!, 'ms', { maxRetries: 0, batchSize: 100, flushInterval: 0 });
    api.writePoint(point);
    try {
      await api.close();
    } catch (error) {
      // 4xx other than 429 (throttled) will not change on a retry.
      if (error instanceof HttpError && error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 429) {
        throw new InfluxRefusedError(`InfluxDB refused the point: ${error.statusCode} ${error.body || error.statusMessage}`);
      }
      throw error;
    }
  }
}
