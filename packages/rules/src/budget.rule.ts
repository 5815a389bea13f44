import { z } from 'zod';
import { positiveQuantity } from './limits.js';
import { consumptionInPeriod } from './period-consumption.js';
import { raised } from './alarm-text/alarm-text.js';
import type { RulePlugin } from './plugin.js';
import { DAY_MS, round } from './series.js';
import { LONGEST_PERIOD_MS, TimeZoneSchema } from './zoned-time.js';

const BudgetConfigSchema = z.object({
  period: z.enum(['day', 'month']),
  budget: positiveQuantity(),
  /** Share of the budget that raises; one rule per level, e.g. 80 as a warning and 100 as major. */
  percent: z.number().positive().max(10_000).default(100),
  timeZone: TimeZoneSchema,
});

/** Raises once consumption in the calendar day or month reaches a share of its budget. */
export const budgetRule: RulePlugin<z.infer<typeof BudgetConfigSchema>> = {
  type: 'budget',
  description: 'Daily or monthly consumption budget, raised at a percentage of it',
  configSchema: BudgetConfigSchema,
  historyWindow: (config) => LONGEST_PERIOD_MS[config.period] + DAY_MS,
  evaluate({ reading, history, config }) {
    const period = consumptionInPeriod(reading, history, config.period, config.timeZone);
    if (!period) return { state: 'skip' };
    const { used, start } = period;
    const percentUsed = (used / config.budget) * 100;
    if (percentUsed < config.percent) return { state: 'clear' };
    return raised(
      { code: 'budget.used', params: { percent: round(percentUsed, 0), period: config.period, used: round(used), budget: config.budget } },
      { used, budget: config.budget, percentUsed, periodStart: start.toISOString() },
    );
  },
};
