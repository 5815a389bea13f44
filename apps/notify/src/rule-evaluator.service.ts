import { Inject, Injectable } from '@nestjs/common';
import { findRuleStates, saveRuleState } from '@metertwin/alarms';
import type { Prisma, PrismaClient, Rule } from '@metertwin/db';
import { evaluateRules, historyWindowFor, RuleRegistry, type HistoryReading, type RuleResult, type StoredRule } from '@metertwin/rules';
import { PRISMA, type Logger } from '@metertwin/service-kit';
import { AlarmService } from './alarm.service.js';
import { withMeterRulesLock } from './meter-rules-lock.repository.js';
import { findReadingWindow } from './reading.repository.js';

export interface EvaluatedMeter {
  id: string;
  orgId: string;
  /** IANA zone of the meter's site: the default `timeZone` of rules whose config leaves it out. */
  timeZone: string;
}

export interface EvaluatedReading {
  id: string;
  captureId: string;
  meterId: string;
  numeric: number | null;
  status: string;
  takenAt: Date;
}

export interface MeterEvaluation {
  meter: EvaluatedMeter;
  rules: readonly Rule[];
  reading?: EvaluatedReading;
  now: Date;
  log: Logger;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON with sorted keys: Postgres jsonb does not keep key order, so a plain stringify would see changes that are not. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isPlainObject(v) ? Object.fromEntries(Object.entries(v).toSorted(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * Runs a meter's rules through the engine and applies the results: alarms raised or cleared (with
 * the rule's details), each rule's `nextState` persisted in RuleState, errors logged. Used for a
 * stored reading and, without a reading, by the rule timer. One meter is evaluated by one run at a
 * time (withMeterRulesLock), so a reading job and a tick cannot overwrite each other's state.
 */
@Injectable()
export class RuleEvaluator {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly registry: RuleRegistry,
    private readonly alarms: AlarmService,
  ) {}

  async evaluateMeter(input: MeterEvaluation): Promise<RuleResult[]> {
    if (input.rules.length === 0) return [];
    return withMeterRulesLock(this.prisma, input.meter.id, () => this.evaluateLocked(input));
  }

  private async evaluateLocked(input: MeterEvaluation): Promise<RuleResult[]> {
    const { meter, rules, reading, now, log } = input;
    const stateOf = await findRuleStates(this.prisma, meter.id, rules.map((r) => r.id));
    const stored: StoredRule[] = rules.map((rule) => ({
      id: rule.id,
      type: rule.type,
      config: this.withMeterTimeZone(rule, meter.timeZone),
      state: stateOf.get(rule.id),
    }));

    const results = evaluateRules({
      rules: stored,
      reading,
      history: await this.history(meter.id, reading, now, historyWindowFor(stored, this.registry)),
      now,
      registry: this.registry,
    });

    for (const [i, result] of results.entries()) {
      const rule = rules[i]!;
      if (result.error) log.warn({ ruleId: rule.id, type: rule.type, err: result.error }, 'rule not evaluated');
      const { outcome } = result;
      if (outcome.state === 'raise') {
        const alarm = await this.alarms.raise(rule, meter, reading, outcome);
        log.info({ alarmId: alarm.id, ruleId: rule.id }, 'alarm raised');
      } else if (outcome.state === 'clear' && (await this.alarms.clear(rule, meter.id))) {
        log.info({ ruleId: rule.id }, 'alarm cleared');
      }
      await this.saveState(rule.id, meter.id, stateOf.get(rule.id), result.nextState);
    }
    return results;
  }

  /** The meter's readings of the window before the reading (before `now` on a scheduled run), ascending. */
  private async history(meterId: string, reading: EvaluatedReading | undefined, now: Date, windowMs: number): Promise<HistoryReading[]> {
    if (windowMs <= 0) return [];
    const until = reading?.takenAt ?? now;
    return findReadingWindow(this.prisma, meterId, until, windowMs, reading?.id);
  }

  private async saveState(ruleId: string, meterId: string, previous: unknown, next: unknown): Promise<void> {
    if (next === undefined || canonicalJson(next) === canonicalJson(previous)) return;
    await saveRuleState(this.prisma, ruleId, meterId, next as Prisma.InputJsonValue | null);
  }

  /**
   * A rule whose config has no `timeZone` (typically an org-wide rule over meters in several zones)
   * gets the meter's, when the plugin's config accepts it; other configs are passed unchanged.
   */
  private withMeterTimeZone(rule: Rule, timeZone: string): unknown {
    const config: unknown = rule.config;
    if (!isPlainObject(config) || 'timeZone' in config) return config;
    const zoned = { ...config, timeZone };
    const plugin = this.registry.get(rule.type);
    if (!plugin) return config;
    return plugin.configSchema.safeParse(zoned).success || !plugin.configSchema.safeParse(config).success ? zoned : config;
  }
}
