import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import { findUnfinishedCommands } from '@metertwin/alarms';
import type { PrismaClient } from '@metertwin/db';
import { PRISMA, Reconciles, type JobStep, type ReconcileStage } from '@metertwin/service-kit';
import { ActuationService } from './actuation.service.js';

interface StrandedCommand {
  id: string;
}

/**
 * A command still pending or sent RECONCILE_AFTER_MS after it was recorded: saved while Redis was down
 * (the portal and the API record it first), its job lost, or failed without an outcome recorded. The
 * reconciler retries or re-adds the job (its id is the command id; the device drops a repeated id); a
 * command it gives up on is recorded as failed.
 */
@Injectable()
@Reconciles('actuation')
export class ActuationReconcileStage implements ReconcileStage<StrandedCommand> {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly actuation: ActuationService,
  ) {}

  stranded(cutoff: Date, take: number, after?: string): Promise<StrandedCommand[]> {
    return findUnfinishedCommands(this.prisma, cutoff, take, after);
  }

  next({ id }: StrandedCommand): JobStep {
    return { queue: QueueName.Actuation, jobId: id, add: () => this.actuation.enqueue(id) };
  }

  giveUp({ id }: StrandedCommand, reason: string): Promise<void> {
    return this.actuation.abandon(id, reason);
  }
}
