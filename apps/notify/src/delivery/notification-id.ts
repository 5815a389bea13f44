import { createHash } from 'node:crypto';

/**
 * The outbox row's id, derived from what makes it unique (event, channel, user, target), so planning
 * the same event twice inserts nothing new, also for rows without a user (Slack), where the unique
 * index would let NULLs repeat. Shaped like a UUID; it is also the delivery job's id.
 */
export function notificationId(eventId: string, channel: string, userId: string | null, target: string): string {
  const h = createHash('sha256').update(JSON.stringify([eventId, channel, userId, target])).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Event ids: a raise (and each counted repeat) of an alarm, and a digest of the repeats until `until`. */
export const alarmEventId = {
  raised: (alarmId: string, count: number) => `${alarmId}:raised:${count}`,
  digest: (alarmId: string, until: Date) => `${alarmId}:digest:${until.getTime()}`,
};
export const isDigestEvent = (eventId: string) => eventId.includes(':digest:');
