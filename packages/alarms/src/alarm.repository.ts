import {
  afterKey,
  pageOf,
  type Alarm,
  type AlarmStatus,
  type Page,
  type PageKey,
  type Prisma,
  type PrismaClient,
} from '@metertwin/db';

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

/** The organization's alarms of these statuses with their meter and the photo of the reading that raised them. */
export function findOrgAlarmsForList(
  db: PrismaClient,
  orgId: string,
  statuses: readonly AlarmStatus[],
  newest: 'clearedAt' | 'lastSeenAt',
  limit: number,
) {
  return db.alarm.findMany({
    where: { orgId, status: { in: [...statuses] } },
    orderBy: { [newest]: 'desc' },
    take: limit,
    include: {
      meter: { select: { id: true, name: true, location: true } },
      reading: { select: { captureId: true } },
    },
  });
}

/** How many alarms of the organization are in each status. */
export async function countOrgAlarmsByStatus(
  db: PrismaClient,
  orgId: string,
): Promise<Record<AlarmStatus, number>> {
  const grouped = await db.alarm.groupBy({ by: ['status'], where: { orgId }, _count: { _all: true } });
  const counts = { active: 0, acknowledged: 0, cleared: 0 };
  for (const g of grouped) counts[g.status] = g._count._all;
  return counts;
}

export function findAlarm(db: PrismaClient, id: string): Promise<Alarm | null> {
  return db.alarm.findUnique({ where: { id } });
}

/**
 * Records that the alarm has been announced up to `to`, only while the record still says `from`, so
 * a slower announcer finishing an earlier step never moves it back.
 */
export async function advanceAnnounced(
  db: PrismaClient,
  id: string,
  from: AlarmStatus | null,
  to: AlarmStatus,
): Promise<boolean> {
  const { count } = await db.alarm.updateMany({ where: { id, announced: from }, data: { announced: to } });
  return count > 0;
}

/** The open alarm of a meter and rule (Alarm.openKey is `<meterId>:<ruleId>` while it is open). */
export function findOpenAlarm(db: PrismaClient, openKey: string): Promise<Alarm | null> {
  return db.alarm.findUnique({ where: { openKey } });
}

export function insertAlarm(db: PrismaClient, data: Prisma.AlarmUncheckedCreateInput): Promise<Alarm> {
  return db.alarm.create({ data });
}

export function updateAlarm(db: PrismaClient, id: string, data: Prisma.AlarmUpdateInput): Promise<Alarm> {
  return db.alarm.update({ where: { id }, data });
}

/** Changes the alarm only while it is still open under `openKey`, so a concurrent clear wins once. */
export async function updateAlarmIfOpen(
  db: PrismaClient,
  id: string,
  openKey: string,
  data: Prisma.AlarmUpdateManyMutationInput,
): Promise<boolean> {
  return (await db.alarm.updateMany({ where: { id, openKey }, data })).count > 0;
}

/** Alarms whose row changed before `cutoff` but whose change is not announced yet, oldest first, after `after`. */
export function findUnannouncedAlarms(db: Prisma.TransactionClient, cutoff: Date, take: number, after?: string): Promise<{ id: string }[]> {
  return db.alarm.findMany({
    where: {
      OR: [
        { announced: null, raisedAt: { lt: cutoff } },
        { status: 'acknowledged', announced: 'active', acknowledgedAt: { lt: cutoff } },
        { status: 'cleared', announced: { in: ['active', 'acknowledged'] }, clearedAt: { lt: cutoff } },
      ],
    },
    select: { id: true },
    orderBy: [{ raisedAt: 'asc' }, { id: 'asc' }],
    take,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
}

/** The organization's alarms, newest raised first, optionally of some statuses or one meter, `limit` after `after`. */
export async function findOrgAlarmsPage(
  db: PrismaClient,
  orgId: string,
  page: { statuses?: readonly AlarmStatus[]; meterId?: string; limit: number; after: PageKey | null },
): Promise<Page<Alarm>> {
  const rows = await db.alarm.findMany({
    where: {
      orgId,
      meterId: page.meterId,
      ...(page.statuses ? { status: { in: [...page.statuses] } } : {}),
      ...(page.after ? afterKey('raisedAt', page.after, 'desc') : {}),
    },
    orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return pageOf(rows, page.limit, (a) => a.raisedAt);
}
