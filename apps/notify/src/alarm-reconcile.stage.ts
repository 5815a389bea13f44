import { Inject, Injectable } from '@nestjs/common';
import { findUnannouncedAlarms } from '@metertwin/alarms';
import type { PrismaClient } from '@metertwin/db';
import { PRISMA, Reconciles, type ReconcileStage, type RunStep } from '@metertwin/service-kit';
import { AlarmAnnouncer } from './alarm-announcer.js';

interface StrandedAlarm {
  id: string;
}

/**
 * An alarm whose row is ahead of what has been announced RECONCILE_AFTER_MS after the change: the job
 * that changed it died before announcing (or acting), or the portal's alarm-event job was lost. The
 * reconciler announces the rest itself (AlarmAnnouncer.announce is idempotent).
 */
@Injectable()
@Reconciles('alarm')
export class AlarmReconcileStage implements ReconcileStage<StrandedAlarm> {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly announcer: AlarmAnnouncer,
  ) {}

  stranded(cutoff: Date, take: number, after?: string): Promise<StrandedAlarm[]> {
    return findUnannouncedAlarms(this.prisma, cutoff, take, after);
  }

  next({ id }: StrandedAlarm): RunStep {
    return { run: async () => void (await this.announcer.announce(id)) };
  }

  /** An announcement has no failed state: the alarm stays as it is, given up in the ledger. */
  async giveUp(): Promise<void> {}
}
