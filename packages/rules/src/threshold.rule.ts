import { z } from 'zod';
import { quantity } from './limits.js';
import { raised } from './alarm-text/alarm-text.js';
import type { RulePlugin } from './plugin.js';

const ThresholdConfigSchema = z
  .object({ above: quantity().optional(), below: quantity().optional() })
  .refine((c) => c.above !== undefined || c.below !== undefined, { message: 'set "above", "below" or both', params: { code: 'set-one-or-both', fields: 'above, below' } });

/** Raises when the counter value leaves a band, clears when it is back inside. */
export const thresholdRule: RulePlugin<z.infer<typeof ThresholdConfigSchema>> = {
  type: 'threshold',
  description: 'Counter value above or below a limit',
  configSchema: ThresholdConfigSchema,
  historyWindow: () => 0,
  evaluate({ reading, config }) {
    if (!reading || reading.numeric === null || reading.status === 'rejected') return { state: 'skip' };
    if (config.above !== undefined && reading.numeric > config.above) {
      return raised({ code: 'threshold.above', params: { value: String(reading.numeric), limit: config.above } });
    }
    if (config.below !== undefined && reading.numeric < config.below) {
      return raised({ code: 'threshold.below', params: { value: String(reading.numeric), limit: config.below } });
    }
    return { state: 'clear' };
  },
};
