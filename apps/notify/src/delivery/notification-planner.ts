import { Inject, Injectable } from '@nestjs/common';
import type { Alarm, PrismaClient } from '@metertwin/db';
import { CONFIG, PRISMA } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { CHANNEL_SENDERS, type ChannelSender } from './channel-sender.js';
import { alarmEventId, isDigestEvent, notificationId } from './notification-id.js';
import { NotificationQueue } from './notification-queue.js';
import { atLeast, channelsFor, SlackChannelName, type Preference } from '@metertwin/alarms';
import { findLiveRowsOfAlarm, findPlannedForEvent, insertPlanned, type PlannedNotification, type ReceiverRow } from './notification.repository.js';
import { quietUntil } from './quiet-hours.js';
import { findEnabledSlackChannels, findOrgUserReceivers } from './receiver.repository.js';

/** One receiver: a user's device or browser on a personal channel, or an organization's Slack channel. */
interface Receiver {
  channel: string;
  userId: string | null;
  target: string;
  /** Quiet hours and digest window of the person (Slack: none, and SLACK_DIGEST_MINUTES). */
  preference: Pick<Preference, 'quietStart' | 'quietEnd' | 'timeZone' | 'digestMinutes'>;
}

const NO_QUIET_HOURS = { quietStart: null, quietEnd: null, timeZone: 'UTC' };
const receiverKey = (r: { channel: string; userId: string | null; target: string }) => `${r.channel}\u0000${r.userId ?? ''}\u0000${r.target}`;

/**
 * Plans the outbox rows of an alarm event: one per receiver the organization's users' preferences
 * and Slack channels ask for. Quiet hours hold non-critical rows until they end; a repeat within the
 * receiver's digest window is folded (digested) into one digest row sent when the window closes.
 * Rows are inserted idempotently (their id derives from event and receiver), then pending ones queued.
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(CHANNEL_SENDERS) private readonly senders: ChannelSender[],
    private readonly queue: NotificationQueue,
  ) {}

  /**
   * Notifies the alarm's raise (count 1) or counted repeat (count n). The same alarm and count again
   * (a retried job, a timer repeat that did not count) plans nothing new and only re-queues pending rows.
   */
  async alarmRaised(alarm: Alarm, now: Date = new Date()): Promise<void> {
    const eventId = alarmEventId.raised(alarm.id, alarm.count);
    const planned = await findPlannedForEvent(this.prisma, eventId);
    if (planned.length > 0) {
      await this.queue.enqueue(planned.filter((n) => n.status === 'pending').map((n) => ({ id: n.id, meterId: alarm.meterId })));
      return;
    }
    const receivers = await this.receivers(alarm);
    if (receivers.length === 0) return;
    const earlier = alarm.count > 1 ? await this.latestPerReceiver(alarm.id) : new Map<string, ReceiverRow>();

    const rows: PlannedNotification[] = [];
    for (const receiver of receivers) {
      const base = { alarmId: alarm.id, channel: receiver.channel, userId: receiver.userId, target: receiver.target };
      const hold = (at: Date) => (alarm.severity === 'critical' ? undefined : quietUntil(at, receiver.preference));
      const last = earlier.get(receiverKey(receiver));
      const windowMs = receiver.preference.digestMinutes * 60_000;
      const foldInto = last && windowMs > 0 ? digestFor(last, windowMs, now) : undefined;
      if (foldInto) {
        rows.push({ ...base, id: notificationId(eventId, receiver.channel, receiver.userId, receiver.target), eventId, status: 'digested' });
        if (foldInto.create) {
          const digestEventId = alarmEventId.digest(alarm.id, foldInto.until);
          const heldUntil = hold(foldInto.until) ?? foldInto.until;
          rows.push({ ...base, id: notificationId(digestEventId, receiver.channel, receiver.userId, receiver.target), eventId: digestEventId, status: 'held', notBefore: heldUntil });
        }
        continue;
      }
      const heldUntil = hold(now);
      rows.push({ ...base, id: notificationId(eventId, receiver.channel, receiver.userId, receiver.target), eventId, status: heldUntil ? 'held' : 'pending', notBefore: heldUntil ?? null });
    }
    await insertPlanned(this.prisma, rows);
    await this.queue.enqueue(rows.filter((r) => r.status === 'pending').map((r) => ({ id: r.id, meterId: alarm.meterId })));
  }

  /** Every receiver of the alarm, over the channels that are configured. */
  private async receivers(alarm: Alarm): Promise<Receiver[]> {
    const enabled = new Set(this.senders.filter((s) => s.enabled).map((s) => s.channel));
    const [users, slackChannels] = await Promise.all([
      findOrgUserReceivers(this.prisma, alarm.orgId),
      enabled.has(SlackChannelName) ? findEnabledSlackChannels(this.prisma, alarm.orgId) : Promise.resolve([]),
    ]);
    const receivers: Receiver[] = [];
    for (const user of users) {
      const preference = user.preference ?? { ...NO_QUIET_HOURS, digestMinutes: 60 };
      for (const channel of channelsFor(user.preference, alarm.severity)) {
        if (!enabled.has(channel)) continue;
        const targets = channel === 'fcm' ? user.pushDevices : user.webPushSubs;
        for (const { id } of targets) receivers.push({ channel, userId: user.id, target: id, preference });
      }
    }
    for (const slack of slackChannels) {
      if (!atLeast(alarm.severity, slack.minSeverity)) continue;
      receivers.push({ channel: SlackChannelName, userId: null, target: slack.id, preference: { ...NO_QUIET_HOURS, digestMinutes: this.config.SLACK_DIGEST_MINUTES } });
    }
    return receivers;
  }

  /** Per receiver, the alarm's latest row that was or will be sent (not folded, not failed). */
  private async latestPerReceiver(alarmId: string): Promise<Map<string, ReceiverRow>> {
    const rows = await findLiveRowsOfAlarm(this.prisma, alarmId);
    const latest = new Map<string, ReceiverRow>();
    for (const row of rows) {
      const key = receiverKey(row);
      const scheduled = row.notBefore ?? row.createdAt;
      const current = latest.get(key);
      if (!current || scheduled > (current.notBefore ?? current.createdAt)) latest.set(key, row);
    }
    return latest;
  }
}

/**
 * Where a repeat goes for a receiver last notified by `last`: into that digest while it waits, into
 * a new digest closing `windowMs` after the last notification when that is still ahead, else nowhere
 * (undefined: notify it on its own).
 */
function digestFor(last: ReceiverRow, windowMs: number, now: Date): { until: Date; create: boolean } | undefined {
  if (isDigestEvent(last.eventId) && last.status === 'held') return { until: last.notBefore ?? now, create: false };
  const until = new Date((last.notBefore ?? last.createdAt).getTime() + windowMs);
  if (until <= now) return undefined;
  return { until, create: true };
}
