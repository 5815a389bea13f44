import type { AlarmStatus, Prisma, PrismaClient, Severity } from '@metertwin/db';
import type { AlarmEventJob } from '@metertwin/contracts';
import type { SessionUser } from './auth';

export class AlarmChangeError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

const CHANGES = {
  acknowledged: { from: ['active'] as AlarmStatus[], verb: 'acknowledged' },
  cleared: { from: ['active', 'acknowledged'] as AlarmStatus[], verb: 'cleared' },
} as const;

export type AlarmEvent = keyof typeof CHANGES;

/**
 * Acknowledges or clears an alarm of the user's organization: the row (conditional on its status,
 * so two people acting at once change it once) and an audit row in one transaction, then an
 * alarm-event job so notify sends the webhooks, push and live event. Clearing frees openKey, so the
 * rule's next raise opens a new alarm.
 */
export async function changeAlarm(
  deps: { prisma: PrismaClient; enqueue: (job: AlarmEventJob) => Promise<void> },
  user: SessionUser,
  alarmId: string,
  event: AlarmEvent,
): Promise<{ id: string; status: AlarmStatus; announced: boolean }> {
  const { prisma } = deps;
  const alarm = await prisma.alarm.findFirst({ where: { id: alarmId, orgId: user.orgId } });
  if (!alarm) throw new AlarmChangeError(404, 'alarm not found');
  const now = new Date();
  const data: Prisma.AlarmUpdateManyMutationInput =
    event === 'acknowledged'
      ? { status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: user.id }
      : { status: 'cleared', clearedAt: now, clearedBy: user.id, openKey: null };
  const changed = await prisma.$transaction(async (tx) => {
    const { count } = await tx.alarm.updateMany({
      where: { id: alarmId, status: { in: CHANGES[event].from } },
      data,
    });
    if (count === 0) return false;
    await tx.auditLog.create({
      data: {
        orgId: alarm.orgId,
        actorType: 'user',
        actorId: user.id,
        action: `alarm.${event}`,
        entityType: 'alarm',
        entityId: alarmId,
        data: { from: alarm.status },
      },
    });
    return true;
  });
  if (!changed) {
    const current = await prisma.alarm.findUniqueOrThrow({
      where: { id: alarmId },
      select: { status: true },
    });
    throw new AlarmChangeError(409, `the alarm is ${current.status}: it cannot be ${CHANGES[event].verb}`);
  }
  // After the commit: notify checks that the row shows the change before announcing it. The change
  // stands even when Redis is down; the caller hears that nobody was told.
  let announced = true;
  try {
    await deps.enqueue({ v: 1, alarmId, event, actorId: user.id });
  } catch (error) {
    announced = false;
    console.error(`alarm ${alarmId} ${event}, but the alarm-event job was not queued:`, error);
  }
  return { id: alarmId, status: event === 'acknowledged' ? 'acknowledged' : 'cleared', announced };
}

export const ALARM_FILTERS = ['open', 'cleared', 'all'] as const;
export type AlarmFilter = (typeof ALARM_FILTERS)[number];

export interface AlarmRow {
  id: string;
  type: string;
  severity: Severity;
  status: AlarmStatus;
  message: string;
  count: number;
  raisedAt: Date;
  lastSeenAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  clearedAt: Date | null;
  clearedBy: string | null;
  captureId: string | null;
  meter: { id: string; name: string; location: string | null };
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** The organization's alarms: open ones (active before acknowledged, most severe first) or cleared ones (newest first). */
export async function listAlarms(
  prisma: PrismaClient,
  orgId: string,
  filter: AlarmFilter,
  limit = 200,
): Promise<{ alarms: AlarmRow[]; counts: Record<AlarmStatus, number> }> {
  const status: AlarmStatus[] =
    filter === 'open'
      ? ['active', 'acknowledged']
      : filter === 'cleared'
        ? ['cleared']
        : ['active', 'acknowledged', 'cleared'];
  const [rows, grouped] = await Promise.all([
    prisma.alarm.findMany({
      where: { orgId, status: { in: status } },
      orderBy: filter === 'cleared' ? { clearedAt: 'desc' } : { lastSeenAt: 'desc' },
      take: limit,
      include: {
        meter: { select: { id: true, name: true, location: true } },
        reading: { select: { captureId: true } },
      },
    }),
    prisma.alarm.groupBy({ by: ['status'], where: { orgId }, _count: { _all: true } }),
  ]);
  // Names of the people who acknowledged or cleared, in one query.
  const userIds = [
    ...new Set(rows.flatMap((r) => [r.acknowledgedBy, r.clearedBy]).filter((v): v is string => !!v)),
  ];
  const users = new Map(
    (
      await prisma.user.findMany({ where: { id: { in: userIds }, orgId }, select: { id: true, name: true } })
    ).map((u) => [u.id, u.name]),
  );
  const statusRank: Record<AlarmStatus, number> = { active: 0, acknowledged: 1, cleared: 2 };
  const alarms = rows
    .map((r) => ({
      id: r.id,
      type: r.type,
      severity: r.severity,
      status: r.status,
      message: r.message,
      count: r.count,
      raisedAt: r.raisedAt,
      lastSeenAt: r.lastSeenAt,
      acknowledgedAt: r.acknowledgedAt,
      acknowledgedBy: r.acknowledgedBy ? (users.get(r.acknowledgedBy) ?? r.acknowledgedBy) : null,
      clearedAt: r.clearedAt,
      clearedBy: r.clearedBy ? (users.get(r.clearedBy) ?? r.clearedBy) : null,
      // The photo that raised it: recorded on the alarm, else the photo of the reading that raised it.
      captureId: r.captureId ?? r.reading?.captureId ?? null,
      meter: r.meter,
    }))
    .sort((a, b) =>
      filter === 'cleared'
        ? 0
        : statusRank[a.status] - statusRank[b.status] ||
          SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    );
  const counts = { active: 0, acknowledged: 0, cleared: 0 };
  for (const g of grouped) counts[g.status] = g._count._all;
  return { alarms, counts };
}
