import { z } from 'zod';
import { spanMinutes } from './limits.js';
import { raised } from './alarm-text/alarm-text.js';
import type { RulePlugin } from './plugin.js';
import { isUsable, MINUTE_MS } from './series.js';

const NoReadingConfigSchema = z.object({ minutes: spanMinutes() });

/** History only reaches back `minutes`; the state remembers the last accepted reading beyond it. */
const NoReadingStateSchema = z.object({ lastAcceptedAt: z.iso.datetime() });

/**
 * Camera or meter offline: no accepted reading for `minutes` before `now`. The notify service calls
 * it after each reading and on a schedule (no `reading`, `now` = the tick), since silence produces
 * no reading to react to. A meter that never had an accepted reading is skipped, not alarmed.
 */
export const noReadingRule: RulePlugin<z.infer<typeof NoReadingConfigSchema>, z.infer<typeof NoReadingStateSchema>> = {
  type: 'no-reading',
  description: 'No accepted reading for N minutes (camera or meter offline)',
  configSchema: NoReadingConfigSchema,
  stateSchema: NoReadingStateSchema,
  historyWindow: (config) => config.minutes * MINUTE_MS,
  evaluate({ reading, history = [], config, now, state }) {
    const at = now ?? reading?.takenAt;
    if (!at) return { state: 'skip' };
    // The latest of what history shows and what was remembered: applying a reading twice changes nothing.
    let lastMs = state ? Date.parse(state.lastAcceptedAt) : -Infinity;
    for (const r of reading ? [...history, reading] : history) {
      if (isUsable(r)) lastMs = Math.max(lastMs, r.takenAt.getTime());
    }
    if (lastMs === -Infinity) return { state: 'skip' };
    const lastAcceptedAt = new Date(lastMs).toISOString();
    const nextState = { lastAcceptedAt };
    const silentMs = at.getTime() - lastMs;
    if (silentMs <= config.minutes * MINUTE_MS) return { state: 'clear', nextState };
    return {
      ...raised(
        { code: 'no-reading.silent', params: { minutes: Math.floor(silentMs / MINUTE_MS), lastAt: lastAcceptedAt } },
        { lastAcceptedAt, silentMinutes: silentMs / MINUTE_MS },
      ),
      nextState,
    };
  },
};
