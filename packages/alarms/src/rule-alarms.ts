import { Prisma, type Alarm, type PrismaClient, type Rule } from '@metertwin/db';
import type { AlarmText } from '@metertwin/rules';
import { findOpenAlarm, insertAlarm, updateAlarm, updateAlarmIfOpen } from './alarm.repository.js';
import { clearedBy } from './alarm-lifecycle.js';

type RaisingRule = Pick<Rule, 'id' | 'type' | 'severity'>;

/** At most one open alarm per meter and rule: its key while open. */
const openKeyOf = (meterId: string, ruleId: string) => `${meterId}:${ruleId}`;

/**
 * What a rule's raise did to the row: `opened` a new alarm, `repeated` the open one (a new reading,
 * counted), `refreshed` it (the timer, not counted), or the open alarm had already `seen` this reading
 * (a retried job: nothing changed).
 */
export type RaiseOutcome = 'opened' | 'repeated' | 'refreshed' | 'seen';

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';

/**
 * A rule raises its alarm on a meter: opens it, or updates the open one. `reading` is the reading that
 * raised it; undefined when the timer raised it (no-reading): the alarm then has no reading and a
 * repeat only refreshes lastSeenAt, message and details, without counting. Announcing is the caller's.
 */
export async function raiseRuleAlarm(
  prisma: PrismaClient,
  raise: {
    rule: RaisingRule;
    meter: { id: string; orgId: string };
    reading: { id: string; captureId: string } | undefined;
    message: string;
    /** A built-in rule's text as a code and params, worded per reader (alarmMessageIn). */
    text?: AlarmText;
    details?: Record<string, unknown>;
  },
  retried = false,
): Promise<{ alarm: Alarm; outcome: RaiseOutcome }> {
  const { rule, meter, reading, message } = raise;
  const messageCode = raise.text?.code ?? null;
  const messageParams = raise.text ? (raise.text.params as Prisma.InputJsonValue) : Prisma.DbNull;
  const openKey = openKeyOf(meter.id, rule.id);
  const details = raise.details === undefined ? undefined : (raise.details as Prisma.InputJsonValue);
  const open = await findOpenAlarm(prisma, openKey);
  if (open) {
    // Evaluating the same reading twice (a retried job) must not count it twice.
    if (reading && open.readingId === reading.id) return { alarm: open, outcome: 'seen' };
    const repeat = reading
      ? { count: { increment: 1 }, readingId: reading.id, captureId: reading.captureId }
      : {};
    const alarm = await updateAlarm(prisma, open.id, { lastSeenAt: new Date(), message, messageCode, messageParams, details, ...repeat });
    return { alarm, outcome: reading ? 'repeated' : 'refreshed' };
  }
  try {
    const alarm = await insertAlarm(prisma, {
      orgId: meter.orgId,
      meterId: meter.id,
      ruleId: rule.id,
      type: rule.type,
      severity: rule.severity,
      message,
      messageCode,
      messageParams,
      details,
      readingId: reading?.id ?? null,
      captureId: reading?.captureId ?? null,
      openKey,
    });
    return { alarm, outcome: 'opened' };
  } catch (error) {
    // Another job for the same meter and rule opened it in the meantime: update that one instead.
    if (isUniqueViolation(error) && !retried) return raiseRuleAlarm(prisma, raise, true);
    throw error;
  }
}

/** The rule clears its open alarm on the meter, if there is one; the id of the alarm it cleared. */
export async function clearRuleAlarm(
  prisma: PrismaClient,
  ruleId: string,
  meterId: string,
): Promise<string | null> {
  const openKey = openKeyOf(meterId, ruleId);
  const open = await findOpenAlarm(prisma, openKey);
  if (!open) return null;
  return (await updateAlarmIfOpen(prisma, open.id, openKey, clearedBy('system', new Date())))
    ? open.id
    : null;
}
