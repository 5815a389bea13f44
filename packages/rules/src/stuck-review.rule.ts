import { z } from 'zod';
import { readingCount, spanHours } from './limits.js';
import { raised } from './alarm-text/alarm-text.js';
import type { RulePlugin } from './plugin.js';
import { HOUR_MS } from './series.js';

const StuckReviewConfigSchema = z.object({
  /** Readings in a row that need review or were rejected. */
  count: readingCount(),
  /** Only readings this recent count towards the run. */
  lookbackHours: spanHours().default(48),
});

const UNREADABLE = new Set(['needs_review', 'rejected']);

/**
 * Raises when the last `count` readings all need review or were rejected (dirty lens, moved camera);
 * a reading that is accepted or corrected clears it.
 */
export const stuckReviewRule: RulePlugin<z.infer<typeof StuckReviewConfigSchema>> = {
  type: 'stuck-review',
  description: 'N readings in a row stuck in review or rejected',
  configSchema: StuckReviewConfigSchema,
  historyWindow: (config) => config.lookbackHours * HOUR_MS,
  evaluate({ reading, history = [], config }) {
    if (!reading) return { state: 'skip' };
    if (!UNREADABLE.has(reading.status)) return { state: 'clear' };
    const since = reading.takenAt.getTime() - config.lookbackHours * HOUR_MS;
    const recent = [...history.filter((r) => r.takenAt.getTime() >= since), reading];
    let run = 0;
    while (run < recent.length && UNREADABLE.has(recent[recent.length - 1 - run]!.status)) run++;
    if (run < config.count) return { state: 'skip' };
    const rejected = recent.slice(-run).filter((r) => r.status === 'rejected').length;
    return raised({ code: 'stuck-review.run', params: { run } }, { run, rejected, needsReview: run - rejected });
  },
};
