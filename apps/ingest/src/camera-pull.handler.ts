import { Inject, Injectable } from '@nestjs/common';
import type { CameraPullJob } from '@metertwin/contracts';
import { fetchSnapshot, OutboundError, outboundPolicy, SnapshotError, withCameraFlash } from '@metertwin/egress';
import { QueueName } from '@metertwin/contracts';
import { SecretPurpose, type PrismaClient, type SecretBox } from '@metertwin/db';
import { CONFIG, OnJob, PRISMA, QueueUnavailableError, SECRETS, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import { ImageRejectedError } from '@metertwin/vision';
import { CaptureService } from './capture.service.js';
import { fetchDeviceReading } from './device-reading.js';
import { MqttCaptureSubscriber } from './mqtt-capture.subscriber.js';
import type { IngestEnv } from './config.js';
import { findPulledCamera, markCameraSeen, recordCameraError } from './device.repository.js';

/**
 * Pulls one snapshot from a meter's camera, through the organization's outbound policy; failures are
 * retried with backoff and recorded on the device in words its operators can act on. A camera that
 * publishes over MQTT (a "take a photo now" job) is asked on its command topic instead: its photo
 * comes back as any MQTT photo.
 */
@Injectable()
export class CameraPullHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: IngestEnv,
    @Inject(SECRETS) private readonly secrets: SecretBox,
    private readonly captures: CaptureService,
    private readonly mqtt: MqttCaptureSubscriber,
  ) {}

  @OnJob({ queue: QueueName.CameraPull, concurrency: 4 })
  async pull(job: CameraPullJob, { log }: JobContext): Promise<void> {
    const device = await findPulledCamera(this.prisma, job.deviceId);
    if (!device) throw new UnrecoverableError(`device ${job.deviceId} does not exist`);
    // a job its scheduler added before the meter was archived (the schedule sync removes the scheduler)
    if (device.meter.archivedAt) {
      log.info({ deviceId: device.id }, 'meter archived: snapshot not pulled');
      return;
    }
    if (!device.snapshotUrl && device.mqttUsername) {
      try {
        await this.mqtt.askForPhoto(device.meterId);
      } catch (error) {
        // its operators see why the photo they asked for does not come
        const message = `could not ask the camera for a photo over MQTT: ${(error as Error).message}`;
        await recordCameraError(this.prisma, device.id, message);
        throw new UnrecoverableError(message);
      }
      log.info({ deviceId: device.id }, 'photo asked of the camera over MQTT');
      return;
    }
    if (!device.snapshotUrl) throw new UnrecoverableError(`device ${job.deviceId} has no snapshot URL`);

    try {
      const policy = outboundPolicy(device.meter.org.deviceNetworks, this.config.OUTBOUND_ALLOWED_HOSTS);
      const basicAuth = device.basicAuthUser
        ? {
            user: device.basicAuthUser,
            password: device.basicAuthPassword ? this.secrets.open(device.basicAuthPassword, SecretPurpose.CameraPassword) : '',
          }
        : undefined;
      const snapshot = () => fetchSnapshot({ url: device.snapshotUrl!, policy, timeoutMs: device.pullTimeoutMs, maxBytes: this.config.MAX_IMAGE_BYTES, basicAuth });
      const { result: bytes, flashError } = device.flashIntensity
        ? await withCameraFlash({ snapshotUrl: device.snapshotUrl, intensity: device.flashIntensity, policy, timeoutMs: device.pullTimeoutMs, basicAuth }, snapshot, (error, intensity) =>
            log.warn({ deviceId: device.id, intensity, error }, 'camera flash not switched'),
          )
        : { result: await snapshot(), flashError: null };
      // Right after the photo, so the firmware's reading is of the same counter state.
      const deviceReading = device.readingUrl
        ? await fetchDeviceReading(device.readingUrl, {
            policy,
            timeoutMs: device.pullTimeoutMs,
            authorization: basicAuth && `Basic ${Buffer.from(`${basicAuth.user}:${basicAuth.password}`).toString('base64')}`,
          })
        : undefined;
      const accepted = await this.captures.accept({
        meterId: device.meterId,
        deviceId: device.id,
        bytes,
        source: 'pull',
        takenAt: new Date(),
        deviceReading,
      });
      // A flash the camera did not take costs the photo nothing; its operators still see why.
      await markCameraSeen(this.prisma, device.id, flashError);
      log.debug({ captureId: accepted.captureId, duplicate: accepted.duplicate }, 'snapshot pulled');
    } catch (error) {
      if (error instanceof QueueUnavailableError) {
        // The frame is stored and the reconciler queues it once Redis is back: the camera did its part.
        await markCameraSeen(this.prisma, device.id);
        log.warn({ deviceId: device.id }, 'snapshot stored; queue unavailable, the reconciler will queue it');
        return;
      }
      // Only a camera's own failure is shown to the organization; anything else is an internal fault.
      const message = error instanceof SnapshotError || error instanceof ImageRejectedError ? error.message : 'internal error while storing the frame';
      await recordCameraError(this.prisma, device.id, message);
      // A frame that is not an image, or a destination the policy refuses, will not get better by
      // asking again within this job (the schedule's next pull tries afresh).
      if (error instanceof ImageRejectedError) throw new UnrecoverableError(`camera sent a bad image: ${message}`);
      if (error instanceof SnapshotError && isPolicyRefusal(error)) throw new UnrecoverableError(message);
      throw error;
    }
  }
}

function isPolicyRefusal(error: SnapshotError): boolean {
  const cause = error.cause;
  return cause instanceof OutboundError && (cause.failure === 'refused' || cause.failure === 'invalid-url');
}
