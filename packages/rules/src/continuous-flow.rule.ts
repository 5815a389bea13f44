import { z } from 'zod';
import { MAX_QUANTITY, spanHours, spanMinutes } from './limits.js';
import { raised } from './alarm-text/alarm-text.js';
import type { RulePlugin } from './plugin.js';
import { flowPerHour, HOUR_MS, MINUTE_MS, round, usableSeries, type UsableReading } from './series.js';
import { ClockTimeSchema, minuteOfDay, TimeZoneSchema } from './zoned-time.js';

const MINUTES_PER_DAY = 24 * 60;

const windowMinutes = (from: number, to: number) => (to - from + MINUTES_PER_DAY) % MINUTES_PER_DAY;

const ContinuousFlowConfigSchema = z
  .object({
    /** IANA zone of the meter: the night window is local time there. */
    timeZone: TimeZoneSchema,
    /** Night window, local "HH:MM"; it may span midnight (e.g. 23:00–05:00). */
    from: ClockTimeSchema.prefault('01:00'),
    to: ClockTimeSchema.prefault('05:00'),
    /** How long the flow must stay above zero inside the window to raise. */
    hours: spanHours(),
    /** Flows up to this many units per hour count as zero, to absorb a jittering last drum. */
    zeroFlowAtMost: z.number().min(0).max(MAX_QUANTITY).default(0),
    /** A longer interval between readings could hide a pause in the flow: it breaks the run. */
    maxGapMinutes: spanMinutes().default(60),
  })
  .refine((c) => c.from !== c.to, { message: 'the night window needs "from" and "to" to differ', params: { code: 'night-window-empty' } })
  .refine((c) => c.hours * 60 <= windowMinutes(c.from, c.to), { message: '"hours" must fit in the night window', params: { code: 'hours-exceed-window' } });

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Possible leak: inside the night window the flow between consecutive readings never dropped to
 * zero for `hours`. Any zero-flow interval, night or day, clears it; other readings say nothing.
 */
export const continuousFlowRule: RulePlugin<z.infer<typeof ContinuousFlowConfigSchema>> = {
  type: 'continuous-flow',
  description: 'Possible leak: flow never drops to zero during a night window for N hours',
  configSchema: ContinuousFlowConfigSchema,
  historyWindow: (config) => config.hours * HOUR_MS + config.maxGapMinutes * MINUTE_MS,
  evaluate({ reading, history, config }) {
    const series = usableSeries(reading, history);
    const [previous, current] = series?.slice(-2) ?? [];
    if (!series || !previous || !current || current.takenAt <= previous.takenAt) return { state: 'skip' };
    if (flowPerHour(previous, current) <= config.zeroFlowAtMost) return { state: 'clear' };

    const inWindow = (r: UsableReading) => windowMinutes(config.from, minuteOfDay(r.takenAt, config.timeZone)) <= windowMinutes(config.from, config.to);
    let runMs = 0;
    let lowestFlow = Infinity; // the lowest flow of a leak run estimates the leak itself
    for (let i = series.length - 1; i > 0; i--) {
      const [from, to] = [series[i - 1]!, series[i]!];
      const intervalMs = to.takenAt.getTime() - from.takenAt.getTime();
      if (intervalMs <= 0) continue;
      const flow = flowPerHour(from, to);
      if (intervalMs > config.maxGapMinutes * MINUTE_MS || !inWindow(from) || !inWindow(to) || flow <= config.zeroFlowAtMost) break;
      runMs += intervalMs;
      lowestFlow = Math.min(lowestFlow, flow);
    }
    if (runMs < config.hours * HOUR_MS) return { state: 'skip' };
    const runHours = runMs / HOUR_MS;
    return raised(
      { code: 'continuous-flow.leak', params: { hours: round(runHours, 1), from: clock(config.from), to: clock(config.to), lowestFlow: round(lowestFlow) } },
      { runHours, lowestFlowPerHour: lowestFlow },
    );
  },
};
