import {
  changeAlarm,
  countOrgAlarmsByStatus,
  findOrgAlarmsForList,
  userNamesById,
  type Actor,
  type AlarmChange,
} from '@metertwin/alarms';
import type { AlarmStatus, PrismaClient, Severity } from '@metertwin/db';
import type { AlarmEventJob } from '@metertwin/contracts';
import type { StoredAlarmText } from '@metertwin/rules';

/**
 * A person acknowledges or clears an alarm from the portal, or an API key on a person's behalf
 * (`via`): the change and its audit row are the alarms package's (the same as notify's API), then an
 * alarm-event job so notify announces it (webhooks, push, live event).
 */
export async function changeAlarmAndQueueEvent(
  deps: { prisma: PrismaClient; enqueue: (job: AlarmEventJob) => Promise<void> },
  by: { orgId: string; userId: string; via?: Actor },
  alarmId: string,
  change: AlarmChange,
): Promise<{ id: string; status: AlarmStatus; announced: boolean }> {
  const alarm = await changeAlarm(deps.prisma, {
    orgId: by.orgId,
    alarmId,
    userId: by.userId,
    change,
    via: by.via,
  });
  // After the commit: notify checks that the row shows the change before announcing it. The change
  // stands even when Redis is down; the caller hears that nobody was told.
  let announced = true;
  try {
    await deps.enqueue({ v: 1, alarmId, event: change, actorId: by.userId });
  } catch (error) {
    announced = false;
    console.error(`alarm ${alarmId} ${change}, but the alarm-event job was not queued:`, error);
  }
  return { id: alarmId, status: alarm.status, announced };
}

export const ALARM_FILTERS = ['open', 'cleared', 'all'] as const;
export type AlarmFilter = (typeof ALARM_FILTERS)[number];

/** An alarm as the list shows it; its message is worded in the reader's language (alarmMessageIn). */
export interface AlarmRow extends StoredAlarmText {
  id: string;
  type: string;
  severity: Severity;
  status: AlarmStatus;
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
  const [rows, counts] = await Promise.all([
    findOrgAlarmsForList(prisma, orgId, status, filter === 'cleared' ? 'clearedAt' : 'lastSeenAt', limit),
    countOrgAlarmsByStatus(prisma, orgId),
  ]);
  // Names of the people who acknowledged or cleared, in one query.
  const users = await userNamesById(
    prisma,
    orgId,
    rows.flatMap((r) => [r.acknowledgedBy, r.clearedBy]).filter((v): v is string => !!v),
  );
  const statusRank: Record<AlarmStatus, number> = { active: 0, acknowledged: 1, cleared: 2 };
  const alarms = rows
    .map((r) => ({
      id: r.id,
      type: r.type,
      severity: r.severity,
      status: r.status,
      message: r.message,
      messageCode: r.messageCode,
      messageParams: r.messageParams,
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
  return { alarms, counts };
}
