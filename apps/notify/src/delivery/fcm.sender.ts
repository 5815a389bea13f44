import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { cert, deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getMessaging, type Messaging } from 'firebase-admin/messaging';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, PRISMA } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { DELIVERY_OPTIONS, PermanentDeliveryError, type ChannelSender, type DeliveryOptions, type OutgoingNotification, type SendOutcome } from './channel-sender.js';
import { PersonalChannel } from '@metertwin/alarms';
import { deletePushDevice, findPushDevice, touchPushDevice } from './receiver.repository.js';

/** FCM error codes after which another attempt with the same message cannot succeed. */
const PERMANENT = new Set(['messaging/invalid-argument', 'messaging/invalid-registration-token', 'messaging/mismatched-credential', 'messaging/third-party-auth-error', 'messaging/invalid-payload']);
const UNREGISTERED = 'messaging/registration-token-not-registered';

/**
 * Firebase Cloud Messaging (HTTP v1) through the official firebase-admin client, one registration
 * token (PushDevice) per notification. A token FCM reports as unregistered is deleted.
 */
@Injectable()
export class FcmSender implements ChannelSender, OnApplicationShutdown {
  readonly channel = PersonalChannel.Fcm;
  private readonly app?: App;
  private readonly messaging?: Messaging;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) config: NotifyEnv,
    @Inject(DELIVERY_OPTIONS) options: DeliveryOptions,
  ) {
    if (!config.FCM_PROJECT_ID) return;
    // A named app per service instance: several notify instances (tests) may share the process.
    this.app = initializeApp(
      {
        projectId: config.FCM_PROJECT_ID,
        credential: options.fcm?.credential ?? cert(config.FCM_CREDENTIALS_FILE!),
        httpAgent: options.fcm?.httpAgent,
      },
      `metertwin-notify-${randomUUID()}`,
    );
    this.messaging = getMessaging(this.app);
    // The HTTP/2 transport ignores httpAgent: a given agent needs the HTTP/1.1 one.
    if (options.fcm?.httpAgent) this.messaging.enableLegacyHttpTransport();
  }

  get enabled(): boolean {
    return this.messaging !== undefined;
  }

  async send({ target, message }: OutgoingNotification): Promise<SendOutcome> {
    if (!this.messaging) throw new PermanentDeliveryError('FCM is not configured (FCM_PROJECT_ID)');
    const device = await findPushDevice(this.prisma, target);
    if (!device) return { gone: 'push device removed' };
    try {
      await this.messaging.send({
        token: device.token,
        notification: { title: message.title, body: message.body },
        data: {
          eventId: message.eventId,
          kind: message.kind,
          alarmId: message.alarmId,
          meterId: message.meterId,
          severity: message.severity,
          ...(message.url ? { url: message.url } : {}),
        },
        // A newer event of the same alarm replaces the older one on the phone.
        android: { priority: message.severity === 'critical' ? 'high' : 'normal', collapseKey: message.alarmId },
        apns: { headers: { 'apns-collapse-id': message.alarmId } },
      });
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === UNREGISTERED) {
        await deletePushDevice(this.prisma, device.id);
        return { gone: 'FCM: registration token not registered (device removed)' };
      }
      if (PERMANENT.has(code)) throw new PermanentDeliveryError(`FCM ${code}: ${(error as Error).message}`);
      throw error;
    }
    await touchPushDevice(this.prisma, device.id);
    return { sent: true };
  }

  /** After the workers have finished the sends in flight (service-kit's shutdown runs first). */
  async onApplicationShutdown(): Promise<void> {
    if (this.app) await deleteApp(this.app);
  }
}
