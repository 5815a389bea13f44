import { Inject, Injectable } from '@nestjs/common';
import { changeAlarm, findAlarm, type AlarmChange } from '@metertwin/alarms';
import { QueueName, type AlarmEventJob } from '@metertwin/contracts';
import type { Alarm, PrismaClient } from '@metertwin/db';
import { OnJob, PRISMA, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import { AlarmAnnouncer } from './alarm-announcer.js';

/**
 * People acknowledging and clearing alarms. The change and its audit row are the alarms package's
 * `changeAlarm`, whichever door is used: the API calls `change` here, which announces at once; the
 * portal calls it itself and queues an `alarm-event` job, which the worker here announces. Either way
 * the same webhooks (alarm.acknowledged, alarm.cleared), live event and hooks, announced from the row
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
  async change(orgId: string, alarmId: string, userId: string, change: AlarmChange): Promise<Alarm> {
    await changeAlarm(this.prisma, { orgId, alarmId, userId, change });
    return this.announcer.announce(alarmId);
  }

  /** The portal changed the alarm: announce it. The row must already show the change. */
  @OnJob({ queue: QueueName.AlarmEvent, concurrency: 4 })
  async onAlarmEvent(job: AlarmEventJob, { log }: JobContext): Promise<void> {
    const alarm = await findAlarm(this.prisma, job.alarmId);
    if (!alarm) throw new UnrecoverableError(`alarm ${job.alarmId} does not exist`);
    const shows = job.event === 'acknowledged' ? alarm.acknowledgedAt !== null : alarm.status === 'cleared';
    if (!shows) throw new UnrecoverableError(`alarm ${alarm.id} is ${alarm.status}: the ${job.event} event does not match the row`);
    await this.announcer.announce(alarm.id);
    log.info({ alarmId: alarm.id, event: job.event }, 'alarm event announced');
  }
}
