import { z } from 'zod';
import { consumptionSince } from './period-consumption.js';
import type { RulePlugin } from './plugin.js';
import { DAY_MS, round, usableSeries } from './series.js';
import { LONGEST_PERIOD_MS, periodStart, PeriodSchema, TimeZoneSchema } from './zoned-time.js';

const ConsumptionConfigSchema = z.object({
  period: PeriodSchema,
  above: z.number().positive(),
  /** IANA zone the calendar periods are aligned to, e.g. "Europe/Berlin". */
  timeZone: TimeZoneSchema,
});

/**
 * Raises when consumption since the start of the current calendar period is above a limit; the
 * first reading of the next period clears it.
 */
export const consumptionRule: RulePlugin<z.infer<typeof ConsumptionConfigSchema>> = {
  type: 'consumption',
  description: 'Consumption per hour, day, week or month above a limit',
  configSchema: ConsumptionConfigSchema,
  // A day more than the period, to find a reading before its start.
  historyWindow: (config) => LONGEST_PERIOD_MS[config.period] + DAY_MS,
  evaluate({ reading, history, config }) {
    const series = usableSeries(reading, history);
    if (!reading || !series) return { state: 'skip' };
    const start = periodStart(reading.takenAt, config.period, config.timeZone);
    const used = consumptionSince(series, start);
    if (used === undefined) return { state: 'skip' };
    if (used <= config.above) return { state: 'clear' };
    return {
      state: 'raise',
      message: `consumption this ${config.period} is ${round(used)}, above ${config.above}`,
      details: { used, limit: config.above, period: config.period, periodStart: start.toISOString() },
    };
  },
};
