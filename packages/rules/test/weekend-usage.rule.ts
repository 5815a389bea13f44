// The third-party plugin of the README, as its own package would write it against @metertwin/rules.
import { z } from 'zod';
import { consumptionSince, localTime, periodStart, TimeZoneSchema, usableSeries, type RulePlugin } from '../src/index.js';

const WeekendUsageConfigSchema = z.object({
  above: z.number().positive(),
  timeZone: TimeZoneSchema,
});

/** Raises when a Saturday or Sunday uses more than `above` (an office that should be closed); Monday clears it. */
export const weekendUsageRule: RulePlugin<z.infer<typeof WeekendUsageConfigSchema>> = {
  type: 'acme/weekend-usage',
  description: 'Consumption on a Saturday or Sunday above a limit',
  configSchema: WeekendUsageConfigSchema,
  historyWindow: () => 2 * 24 * 3_600_000,
  evaluate({ reading, history, config }) {
    const series = usableSeries(reading, history);
    if (!reading || !series) return { state: 'skip' };
    if (localTime(reading.takenAt, config.timeZone).weekday < 5) return { state: 'clear' };
    const used = consumptionSince(series, periodStart(reading.takenAt, 'day', config.timeZone));
    if (used === undefined) return { state: 'skip' };
    if (used <= config.above) return { state: 'clear' };
    return { state: 'raise', message: `${used.toFixed(3)} used on a weekend day, above ${config.above}` };
  },
};

/** What RULE_PLUGINS loads from a plugin module (notify and the portal). */
export const rulePlugins = [weekendUsageRule];
