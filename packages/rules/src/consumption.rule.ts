import { z } from 'zod';
import { positiveQuantity } from './limits.js';
import { consumptionInPeriod } from './period-consumption.js';
import { raised } from './alarm-text/alarm-text.js';
import type { RulePlugin } from './plugin.js';
import { DAY_MS, round } from './series.js';
import { LONGEST_PERIOD_MS, PeriodSchema, TimeZoneSchema } from './zoned-time.js';

const ConsumptionConfigSchema = z.object({
  period: PeriodSchema,
  above: positiveQuantity(),
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
    const period = consumptionInPeriod(reading, history, config.period, config.timeZone);
    if (!period) return { state: 'skip' };
    const { used, start } = period;
    if (used <= config.above) return { state: 'clear' };
    return raised(
      { code: 'consumption.above', params: { period: config.period, used: round(used), limit: config.above } },
      { used, limit: config.above, period: config.period, periodStart: start.toISOString() },
    );
  },
};
