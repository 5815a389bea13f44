import type { Agent as HttpsAgent } from 'node:https';
import type { Credential } from 'firebase-admin/app';
import type { AlarmMessage } from './alarm-message.js';
import type { Destination } from '@metertwin/egress';

/** One outbox row on its way out: `target` is a PushDevice, WebPushSubscription or SlackChannel id. */
export interface OutgoingNotification {
  id: string;
  channel: string;
  target: string;
  message: AlarmMessage;
}

/** `sent`: the provider accepted it. `gone`: the receiver no longer exists (it was removed); not retried. */
export type SendOutcome = { sent: true } | { gone: string };

/** A failure that another attempt cannot fix (refused destination, rejected credentials, bad payload). */
export class PermanentDeliveryError extends Error {}

/** One person-facing channel. `enabled` is false when its settings are absent: nothing is planned for it. */
export interface ChannelSender {
  readonly channel: string;
  readonly enabled: boolean;
  send(notification: OutgoingNotification): Promise<SendOutcome>;
}

/** Providers' transports, for tests against local fakes (production uses the settings alone). */
export interface DeliveryOptions {
  /** FCM: a credential whose getAccessToken answers without Google's token service, and the agent every FCM request goes through. */
  fcm?: { credential?: Credential; httpAgent?: HttpsAgent };
  /** Web push: the agent for one request to a checked push service address (default: connects to those addresses only). */
  webPushAgent?: (destination: Destination) => HttpsAgent;
}

export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');
export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');
