import { createHash } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import webpush from 'web-push';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, PRISMA } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { checkDestination, OutboundError, pinnedLookup } from '@metertwin/egress';
import { OutboundPolicies } from '../outbound-policies.js';
import { DELIVERY_OPTIONS, PermanentDeliveryError, type ChannelSender, type DeliveryOptions, type OutgoingNotification, type SendOutcome } from './channel-sender.js';
import { PersonalChannel } from '@metertwin/alarms';
import { deleteWebPushSubscription, findWebPushSubscription } from './receiver.repository.js';

/**
 * Web Push (RFC 8030/8291/8292) to the portal installed as a PWA: the payload is encrypted
 * (aes128gcm) for the browser's subscription and signed with the VAPID key. A push service answering
 * 404 or 410 says the subscription is gone: it is deleted.
 */
@Injectable()
export class WebPushSender implements ChannelSender {
  readonly channel = PersonalChannel.WebPush;
  readonly enabled: boolean;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    private readonly policies: OutboundPolicies,
  ) {
    this.enabled = Boolean(config.WEB_PUSH_PUBLIC_KEY && config.WEB_PUSH_PRIVATE_KEY && config.WEB_PUSH_SUBJECT);
  }

  async send({ target, message }: OutgoingNotification): Promise<SendOutcome> {
    if (!this.enabled) throw new PermanentDeliveryError('web push is not configured (WEB_PUSH_* keys)');
    const subscription = await findWebPushSubscription(this.prisma, target);
    if (!subscription) return { gone: 'web push subscription removed' };
    // The endpoint comes from a browser: it must not make notify reach internal addresses.
    let destination;
    try {
      destination = await checkDestination(subscription.endpoint, await this.policies.forOrg(subscription.user.orgId));
    } catch (error) {
      if (error instanceof OutboundError && (error.failure === 'refused' || error.failure === 'invalid-url')) {
        throw new PermanentDeliveryError(error.message);
      }
      throw error;
    }
    if (destination.url.protocol !== 'https:') throw new PermanentDeliveryError('refused: a push service endpoint must be https');
    const agent = this.options.webPushAgent?.(destination) ?? new HttpsAgent({ lookup: pinnedLookup(destination.addresses) });
    try {
      await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        JSON.stringify(message),
        {
          vapidDetails: { subject: this.config.WEB_PUSH_SUBJECT!, publicKey: this.config.WEB_PUSH_PUBLIC_KEY!, privateKey: this.config.WEB_PUSH_PRIVATE_KEY! },
          TTL: 24 * 3600,
          urgency: message.severity === 'critical' ? 'high' : 'normal',
          // The push service replaces a still undelivered message with the same topic: no duplicate per event.
          topic: createHash('sha256').update(message.eventId).digest('base64url').slice(0, 32),
          timeout: this.config.NOTIFY_TIMEOUT_MS,
          agent,
        },
      );
    } catch (error) {
      if (error instanceof webpush.WebPushError) {
        if (error.statusCode === 404 || error.statusCode === 410) {
          await deleteWebPushSubscription(this.prisma, subscription.id);
          return { gone: `push service answered ${error.statusCode}: subscription expired (removed)` };
        }
        if (error.statusCode === 429 || error.statusCode >= 500) throw new Error(`push service answered ${error.statusCode}: ${error.body}`);
        throw new PermanentDeliveryError(`push service answered ${error.statusCode}: ${error.body}`);
      }
      // Network errors carry a code (ECONNREFUSED, ETIMEDOUT…) and are retried; others (a bad key) are not.
      if ((error as NodeJS.ErrnoException).code) throw error;
      throw new PermanentDeliveryError(`web push: ${(error as Error).message}`);
    } finally {
      agent.destroy();
    }
    return { sent: true };
  }
}
