import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { PRISMA, Reconciles, type JobStep, type ReconcileStage } from '@metertwin/service-kit';
import { failPendingDelivery, findStrandedDeliveries } from './webhook-delivery.repository.js';
import { WebhookService } from './webhook.service.js';

/**
 * The delivery rows are the outbox: a delivery still pending RECONCILE_AFTER_MS after it was written
 * has lost its job (notify stopped between the row and the job, Redis lost it) or its job
 * failed for good without recording it. The reconciler retries or re-adds the job, whose id is the
 * delivery's; a delivery that keeps failing is given up as `failed` with the reason.
 */
@Injectable()
@Reconciles('webhook-delivery')
export class WebhookReconcileStage implements ReconcileStage {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly webhooks: WebhookService,
  ) {}

  stranded(cutoff: Date, take: number, after?: string): Promise<{ id: string }[]> {
    return findStrandedDeliveries(this.prisma, cutoff, take, after);
  }

  next({ id }: { id: string }): JobStep {
    return { queue: QueueName.WebhookDelivery, jobId: id, add: () => this.webhooks.enqueue(id) };
  }

  async giveUp({ id }: { id: string }, reason: string): Promise<void> {
    await failPendingDelivery(this.prisma, id, reason);
  }
}
