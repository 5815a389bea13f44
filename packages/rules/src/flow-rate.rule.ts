import { z } from 'zod';
import { positiveQuantity, spanMinutes } from './limits.js';
import { raised } from './alarm-text/alarm-text.js';
import type { RulePlugin } from './plugin.js';
import { flowPerHour, MINUTE_MS, round, usableSeries } from './series.js';

const FlowRateConfigSchema = z.object({
  /** Units per hour. */
  above: positiveQuantity(),
  /** Over a longer interval the average says little about the flow: no verdict. */
  maxIntervalMinutes: spanMinutes().default(360),
});

/** Raises when the flow since the previous usable reading is above a limit, clears when it is not. */
export const flowRateRule: RulePlugin<z.infer<typeof FlowRateConfigSchema>> = {
  type: 'flow-rate',
  description: 'Flow (units per hour between consecutive accepted readings) above a limit',
  configSchema: FlowRateConfigSchema,
  historyWindow: (config) => config.maxIntervalMinutes * MINUTE_MS,
  evaluate({ reading, history, config }) {
    const series = usableSeries(reading, history);
    const [previous, current] = series?.slice(-2) ?? [];
    if (!previous || !current) return { state: 'skip' };
    const intervalMs = current.takenAt.getTime() - previous.takenAt.getTime();
    // A counter that went backwards is a misread or a replaced meter, not a flow.
    if (intervalMs <= 0 || intervalMs > config.maxIntervalMinutes * MINUTE_MS || current.numeric < previous.numeric) {
      return { state: 'skip' };
    }
    const flow = flowPerHour(previous, current);
    if (flow <= config.above) return { state: 'clear' };
    return raised(
      { code: 'flow-rate.above', params: { flow: round(flow), limit: config.above } },
      { flowPerHour: flow, limit: config.above, fromReadingId: previous.id },
    );
  },
};
