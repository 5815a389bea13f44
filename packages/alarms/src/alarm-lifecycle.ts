import type { Alarm, AlarmStatus, Prisma, PrismaClient } from '@metertwin/db';
import type { Actor } from './actor.js';
import { recordAudit } from './audit-log.repository.js';
import { alarmStatus, findOrgAlarm, getAlarm, updateAlarmIfStatus } from './alarm.repository.js';
import { DomainError } from './domain-error.js';
import { isOrgUser } from './org-membership.repository.js';

/** What a person can do to an alarm; a rule raises and clears it through rule-alarms.ts. */
export type AlarmChange = 'acknowledged' | 'cleared';

/**
 * The row of a cleared alarm, whoever cleared it (a person's id, or `system` for its rule). Clearing
 * frees openKey, so the rule's next raise opens a new alarm.
 */
export function clearedBy(by: string, at: Date): Prisma.AlarmUpdateManyMutationInput {
  return { status: 'cleared', clearedAt: at, clearedBy: by, openKey: null };
}

const TRANSITIONS: Record<
  AlarmChange,
  { from: readonly AlarmStatus[]; set: (by: string, at: Date) => Prisma.AlarmUpdateManyMutationInput }
> = {
  acknowledged: {
    from: ['active'],
    set: (by, at) => ({ status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by }),
  },
  cleared: { from: ['active', 'acknowledged'], set: clearedBy },
};

/**
 * A person acknowledges or clears an alarm of their organization, from the portal or the API: the
 * row and its audit row in one transaction. Announcing it (webhooks, live event, push) is notify's
 * AlarmAnnouncer, which reads the change from the row: the caller announces it or queues an
 * alarm-event job, and the reconciler finishes an announcement that was lost.
 * `via`: an API key that made the change on the person's behalf; the audit row names the key as the
 * actor and the person in its data.
 */
export async function changeAlarm(
  prisma: PrismaClient,
  request: { orgId: string; alarmId: string; userId: string; change: AlarmChange; via?: Actor },
): Promise<Alarm> {
  const { orgId, alarmId, userId, change, via } = request;
  const alarm = await findOrgAlarm(prisma, orgId, alarmId);
  if (!alarm) throw new DomainError('not-found', 'alarm not found', { code: 'alarm-not-found' });
  if (!(await isOrgUser(prisma, orgId, userId)))
    throw new DomainError('reference', `user ${userId} is not a user of the alarm's organization`, { code: 'user-not-found' });
  const { from, set } = TRANSITIONS[change];
  const changed = await prisma.$transaction(async (tx) => {
    if (!(await updateAlarmIfStatus(tx, alarmId, from, set(userId, new Date())))) return false;
    await recordAudit(
      tx,
      via ?? { orgId, type: 'user', id: userId },
      `alarm.${change}`,
      { type: 'alarm', id: alarmId },
      via ? { from: alarm.status, userId } : { from: alarm.status },
    );
    return true;
  });
  if (!changed) {
    const status = await alarmStatus(prisma, alarmId);
    throw new DomainError('conflict', `the alarm is ${status}: it cannot be ${change}`, {
      code: 'alarm-status',
      params: { status: String(status), change },
    });
  }
  return getAlarm(prisma, alarmId);
}
