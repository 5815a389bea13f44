import { Inject, Injectable } from '@nestjs/common';
import { QueueName, type AlarmEventJob } from '@metertwin/contracts';
import type { Alarm, Prisma, PrismaClient } from '@metertwin/db';
import { OnJob, PRISMA, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import { AlarmAnnouncer } from './alarm-announcer.js';

export class AlarmNotFoundError extends Error {}
/** The alarm is not in a state that allows the change (e.g. acknowledging a cleared alarm). */
export class AlarmStateError extends Error {}
/** The acting user is not a user of the alarm's organization. */
export class AlarmActorError extends Error {}

/**
 * People acknowledging and clearing alarms. The API calls `acknowledge`/`clear` (row update and audit
 * row in one transaction, then the announcement); the portal updates the row and writes its audit row
 * itself, then queues an `alarm-event` job, and the worker here only announces it: either way the same
 * webhooks (alarm.acknowledged, alarm.cleared), live event and hooks, announced from the row
 * (AlarmAnnouncer), so a lost job or a crash before announcing is finished by the reconciler. A person
 * clearing an alarm does not run the rule's `clear` actions (a closed valve stays closed until someone
 * opens it).
 */
@Injectable()
export class AlarmLifecycleService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly announcer: AlarmAnnouncer,
  ) {}

  /** `orgId`: the caller's organization; an alarm of another one is not found. */
  acknowledge(alarmId: string, userId: string, orgId: string): Promise<Alarm> {
    return this.change(alarmId, userId, orgId, 'acknowledged', ['active'], { status: 'acknowledged', acknowledgedAt: new Date(), acknowledgedBy: userId });
  }

  /** Clears an active or acknowledged alarm; the next raise of its rule opens a new one. */
  clear(alarmId: string, userId: string, orgId: string): Promise<Alarm> {
    return this.change(alarmId, userId, orgId, 'cleared', ['active', 'acknowledged'], { status: 'cleared', clearedAt: new Date(), clearedBy: userId, openKey: null });
  }

  private async change(
    alarmId: string,
    userId: string,
    orgId: string,
    event: 'acknowledged' | 'cleared',
    from: Alarm['status'][],
    data: Prisma.AlarmUpdateManyMutationInput,
  ): Promise<Alarm> {
    const alarm = await this.prisma.alarm.findFirst({ where: { id: alarmId, orgId } });
    if (!alarm) throw new AlarmNotFoundError(`alarm ${alarmId} does not exist`);
    const user = await this.prisma.user.findFirst({ where: { id: userId, orgId: alarm.orgId }, select: { id: true } });
    if (!user) throw new AlarmActorError(`user ${userId} is not a user of the alarm's organization`);
    const changed = await this.prisma.$transaction(async (tx) => {
      // Conditional on the status, so two people acting at once change it once.
      const { count } = await tx.alarm.updateMany({ where: { id: alarmId, status: { in: from } }, data });
      if (count === 0) return false;
      await tx.auditLog.create({
        data: { orgId: alarm.orgId, actorType: 'user', actorId: userId, action: `alarm.${event}`, entityType: 'alarm', entityId: alarmId, data: { from: alarm.status } },
      });
      return true;
    });
    if (!changed) {
      const now = await this.prisma.alarm.findUniqueOrThrow({ where: { id: alarmId }, select: { status: true } });
      throw new AlarmStateError(`alarm ${alarmId} is ${now.status}: it cannot be ${event}`);
    }
    return this.announcer.announce(alarmId);
  }

  /** The portal changed the alarm: announce it. The row must already show the change. */
  @OnJob({ queue: QueueName.AlarmEvent, concurrency: 4 })
  async onAlarmEvent(job: AlarmEventJob, { log }: JobContext): Promise<void> {
    const alarm = await this.prisma.alarm.findUnique({ where: { id: job.alarmId } });
    if (!alarm) throw new UnrecoverableError(`alarm ${job.alarmId} does not exist`);
    const shows = job.event === 'acknowledged' ? alarm.acknowledgedAt !== null : alarm.status === 'cleared';
    if (!shows) throw new UnrecoverableError(`alarm ${alarm.id} is ${alarm.status}: the ${job.event} event does not match the row`);
    await this.announcer.announce(alarm.id);
    log.info({ alarmId: alarm.id, event: job.event }, 'alarm event announced');
  }
}
