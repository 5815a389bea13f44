import type { Provider } from '@nestjs/common';
import { CONFIG, ConfigError, LOGGER, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { timeSeriesConfigProblems } from './config.js';
import { InfluxWriter } from './influx.writer.js';
import { MeterGauges } from './meter-gauges.js';
import { TimeSeriesExportHandler } from './timeseries-export.handler.js';

export { InfluxWriter };

/** The time-series export and the per-meter gauges in notify's module; half-set settings stop the service at start. */
export function timeSeriesProviders(): Provider[] {
  return [
    {
      provide: InfluxWriter,
      useFactory: (config: NotifyEnv, log: Logger) => {
        const problems = timeSeriesConfigProblems(config);
        if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
        return new InfluxWriter(config, log);
      },
      inject: [CONFIG, LOGGER],
    },
    TimeSeriesExportHandler,
    MeterGauges,
  ];
}
