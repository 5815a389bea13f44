import type { Alarm, AlarmStatus, Prisma, PrismaClient } from '@metertwin/db';

/** Data access of the alarm aggregate for people's changes (rules raise alarms in notify's evaluator). */

export function findOrgAlarm(db: Prisma.TransactionClient, orgId: string, id: string): Promise<Alarm | null> {
  return db.alarm.findFirst({ where: { id, orgId } });
}

/** Changes the alarm only while its status is one of `from`, so two people acting at once change it once. */
export async function updateAlarmIfStatus(
  db: Prisma.TransactionClient,
  id: string,
  from: readonly AlarmStatus[],
  data: Prisma.AlarmUpdateManyMutationInput,
): Promise<boolean> {
  const { count } = await db.alarm.updateMany({ where: { id, status: { in: [...from] } }, data });
  return count > 0;
}

export async function alarmStatus(db: Prisma.TransactionClient, id: string): Promise<AlarmStatus> {
  return (await db.alarm.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
}

export function getAlarm(db: PrismaClient, id: string): Promise<Alarm> {
  return db.alarm.findUniqueOrThrow({ where: { id } });
}
