import { z } from 'zod';
import { positiveQuantity, readingCount, spanHours } from './limits.js';
import { raised } from './alarm-text/alarm-text.js';
import type { RuleEvaluation, RulePlugin } from './plugin.js';
import { HOUR_MS, round, usableSeries } from './series.js';

const SuddenJumpConfigSchema = z
  .object({
    /** A step larger than this many units is a jump. */
    above: positiveQuantity().optional(),
    /** A step larger than this many times the median recent step is a jump. */
    medianFactor: z.number().gt(1).max(1e6).optional(),
    /** Steps within this many hours before the reading make the median; the previous reading must be this recent. */
    lookbackHours: spanHours().default(24),
    /** Fewer recent steps than this make no trustworthy median. */
    minSteps: readingCount().default(6),
  })
  .refine((c) => c.above !== undefined || c.medianFactor !== undefined, {
    message: 'set "above", "medianFactor" or both',
    params: { code: 'set-one-or-both', fields: 'above, medianFactor' },
  });

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Raises when the counter moved (either way: a backwards step is a misread worth seeing) by more
 * than a fixed size or a multiple of the recent median step; the next ordinary step clears it.
 */
export const suddenJumpRule: RulePlugin<z.infer<typeof SuddenJumpConfigSchema>> = {
  type: 'sudden-jump',
  description: 'Step between consecutive accepted readings above X units or K times the recent median step',
  configSchema: SuddenJumpConfigSchema,
  historyWindow: (config) => config.lookbackHours * HOUR_MS,
  evaluate({ reading, history, config }): RuleEvaluation {
    const since = (reading?.takenAt.getTime() ?? 0) - config.lookbackHours * HOUR_MS;
    const series = usableSeries(reading, history)?.filter((r) => r.takenAt.getTime() >= since);
    if (!series || series.length < 2) return { state: 'skip' };
    const steps = series.slice(1).map((r, i) => r.numeric - series[i]!.numeric);
    const step = steps.pop()!;
    const size = Math.abs(step);
    const direction = step < 0 ? 'dropped' : 'rose';

    if (config.above !== undefined && size > config.above) {
      return raised({ code: 'sudden-jump.above', params: { direction, size: round(size), limit: config.above } }, { step, limit: config.above });
    }
    if (config.medianFactor !== undefined && steps.length >= config.minSteps) {
      // A meter idle most of the time has a median step of 0, against which every step would be a jump.
      const typical = median(steps.map(Math.abs));
      if (typical > 0 && size > config.medianFactor * typical) {
        return raised(
          { code: 'sudden-jump.median', params: { direction, size: round(size), factor: round(size / typical, 1), median: round(typical) } },
          { step, medianStep: typical, factor: config.medianFactor },
        );
      }
    }
    return { state: 'clear' };
  },
};
