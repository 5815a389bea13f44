import { Inject, Injectable } from '@nestjs/common';
import { QueueName, type NotificationDeliveryJob } from '@metertwin/contracts';
import type { Prisma, PrismaClient } from '@metertwin/db';
import { CONFIG, OnJob, PRISMA, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { alarmMessage, messageLocale } from './alarm-message.js';
import { CHANNEL_SENDERS, PermanentDeliveryError, type ChannelSender, type SendOutcome } from './channel-sender.js';
import { isDigestEvent } from './notification-id.js';
import { countFoldedRepeats, findToSend, markReceiverGone, markSent, recordFailedAttempt, whileSending } from './notification.repository.js';


type Attempt = { kind: 'busy' | 'done' | 'sent' } | { kind: 'gone'; reason: string } | { kind: 'error'; error: unknown };

/**
 * Sends one outbox row. The row is marked sent only after the provider accepted it, in the same
 * transaction that holds the row's advisory lock, so two workers (a retried job and a job queued
 * again after a restart) never send it at once; a worker killed mid-send leaves it pending, and it
 * goes out again with the same event id.
 */
@Injectable()
export class NotificationDeliveryWorker {
  private readonly senders: Map<string, ChannelSender>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
  ) {
    this.senders = new Map(senders.map((s) => [s.channel, s]));
  }

  @OnJob({ queue: QueueName.NotificationDelivery, concurrency: 8 })
  async deliver(job: NotificationDeliveryJob, { log, finalAttempt }: JobContext): Promise<void> {
    const id = job.notificationId;
    // The provider's answer is awaited inside the transaction (it holds the lock): hence its timeout.
    const attempt: Attempt = (await whileSending(this.prisma, id, this.config.NOTIFY_TIMEOUT_MS * 2 + 10_000, (tx) => this.attempt(tx, id))) ?? { kind: 'busy' };
    switch (attempt.kind) {
      case 'busy': // another worker is sending it right now and will record the outcome
      case 'done': // sent, folded or given up already: a duplicate job
        return;
      case 'sent':
        log.info({ notificationId: id }, 'notification sent');
        return;
      case 'gone':
        log.info({ notificationId: id, reason: attempt.reason }, 'notification receiver gone');
        return;
      case 'error': {
        const permanent = attempt.error instanceof PermanentDeliveryError;
        const message = (attempt.error as Error).message ?? String(attempt.error);
        await recordFailedAttempt(this.prisma, id, message, permanent || finalAttempt);
        log.warn({ notificationId: id, err: message, permanent }, 'notification not sent');
        throw permanent ? new UnrecoverableError(message) : new Error(message);
      }
    }
  }

  private async attempt(tx: Prisma.TransactionClient, id: string): Promise<Attempt> {
    const row = await findToSend(tx, id);
    if (!row) throw new UnrecoverableError(`notification ${id} does not exist`);
    if (row.status !== 'pending') return { kind: 'done' };
    const sender = this.senders.get(row.channel);
    const digest = isDigestEvent(row.eventId) ? { repeats: await countFoldedRepeats(tx, row) } : undefined;
    // in the receiver's language, else their organization's (a Slack channel has no user: its organization's)
    const locale = messageLocale(row.user ? (row.user.locale ?? row.user.org.defaultLocale) : row.alarm.org.defaultLocale);
    const message = alarmMessage({ ...row.alarm, meterName: row.alarm.meter.name }, row.eventId, digest, this.config.PORTAL_URL, locale);
    let outcome: SendOutcome;
    try {
      if (!sender?.enabled) throw new PermanentDeliveryError(`channel "${row.channel}" is not configured`);
      outcome = await sender.send({ id: row.id, channel: row.channel, target: row.target, message });
    } catch (error) {
      return { kind: 'error', error };
    }
    if ('gone' in outcome) {
      await markReceiverGone(tx, id, outcome.gone);
      return { kind: 'gone', reason: outcome.gone };
    }
    await markSent(tx, id);
    return { kind: 'sent' };
  }

}
