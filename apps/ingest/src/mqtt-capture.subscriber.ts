import { hostname } from 'node:os';
import { HttpException, Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { MqttCaptureEnvelopeSchema, MqttTopic, type MqttCameraCommand, type MqttCaptureStatus } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, PRISMA, type Logger } from '@metertwin/service-kit';
import { ImageRejectedError } from '@metertwin/vision';
import { CaptureService } from './capture.service.js';
import { findMqttCamera } from './device.repository.js';
import type { IngestEnv } from './config.js';
import { PipelineBackPressure } from './pipeline-back-pressure.js';
import { parseTakenAt } from './taken-at.js';
import { MeterArchivedError } from './meter-archived.error.js';

/** How long a photo command may wait for the broker's PUBACK (a broker that is away fails the job, which says so). */
const COMMAND_TIMEOUT_MS = 5_000;

/** PUBACK reason codes (MQTT 5): the device also hears the outcome on its status topic. */
const PUBACK = { success: 0, unspecified: 0x80, notAuthorized: 0x87, quotaExceeded: 0x97, payloadFormatInvalid: 0x99 } as const;

/** A photo refused as the HTTP upload would refuse it. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Photos that devices publish over MQTT (`metertwin/v1/<meterId>/capture`, QoS 1), taken in through
 * a shared subscription so that ingest replicas split them. The broker lets a device publish only
 * to its own meter's topic (its account, @metertwin/mqtt-accounts), so the topic names the meter.
 * Each photo goes through the same back-pressure and CaptureService as an HTTP upload (same checks,
 * same sha256 idempotency); the PUBACK is sent only after the capture is stored, so a photo in flight when
 * ingest dies is delivered again (a persistent session), and the outcome is published to the
 * meter's status topic (with the photo's MQTT 5 correlation data, when it had some). The same
 * connection asks a camera for a photo now on its command topic (`askForPhoto`).
 */
@Injectable()
export class MqttCaptureSubscriber implements OnApplicationBootstrap, OnApplicationShutdown {
  private client?: MqttClient;

  constructor(
    @Inject(CONFIG) private readonly config: IngestEnv,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly captures: CaptureService,
    private readonly backPressure: PipelineBackPressure,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD, MQTT_CLIENT_ID, MQTT_SHARE_GROUP } = this.config;
    if (!MQTT_URL) return;
    this.client = mqtt.connect(MQTT_URL, {
      username: MQTT_USERNAME,
      password: MQTT_PASSWORD,
      clientId: MQTT_CLIENT_ID ?? `metertwin-ingest-${hostname()}`,
      protocolVersion: 5,
      clean: false,
      // keep the session (and the photos queued for it) for a day while this replica is away
      properties: { sessionExpiryInterval: 86_400 },
      reconnectPeriod: 2_000,
      customHandleAcks: (topic, payload, packet, done) => {
        // take() answers every refusal itself; whatever else goes wrong still gets a PUBACK, never an unhandled rejection
        this.take(topic, payload, packet).then(done, (error: unknown) => {
          this.log.error({ err: (error as Error).message }, 'mqtt: photo not answered');
          done(PUBACK.unspecified);
        });
      },
    });
    this.client.on('connect', () => {
      this.client!.subscribe(MqttTopic.captureShared(MQTT_SHARE_GROUP), { qos: 1 }, (error) => {
        if (error) this.log.error({ err: error.message }, 'mqtt: cannot subscribe to device photos');
        else this.log.info({ url: MQTT_URL }, 'mqtt: taking device photos');
      });
    });
    this.client.on('error', (error) => this.log.warn({ err: error.message }, 'mqtt: connection error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync();
  }

  /**
   * Publishes `{"v":1,"command":"photo"}` to the meter's command topic (QoS 1) for its camera to take
   * and send a photo now; resolves once the broker has it. Throws when this ingest has no broker.
   */
  async askForPhoto(meterId: string): Promise<void> {
    if (!this.client) throw new Error('MQTT is off on this ingest (MQTT_URL unset): the camera cannot be asked for a photo');
    const command: MqttCameraCommand = { v: 1, command: 'photo', requestedAt: new Date().toISOString() };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the broker did not take the photo command within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.client.publishAsync(MqttTopic.command(meterId), JSON.stringify(command), { qos: 1 }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One published photo: stored (or refused) and answered on the status topic; returns the PUBACK code. */
  private async take(topic: string, payload: Buffer, packet: IPublishPacket): Promise<number> {
    const meterId = MqttTopic.meterOf(topic);
    if (!meterId) return PUBACK.unspecified;
    let status: MqttCaptureStatus;
    let code: number = PUBACK.success;
    try {
      const device = await findMqttCamera(this.prisma, meterId);
      if (!device) throw new Refused(404, 'no MQTT camera for this meter');
      if (device.meter.archivedAt) throw new MeterArchivedError(meterId);
      const { bytes, takenAt } = this.unpack(payload, packet);
      const done = this.backPressure.admit();
      const accepted = await this.captures.accept({ meterId, deviceId: device.id, bytes, source: 'mqtt', takenAt }).finally(done);
      status = { v: 1, ok: true, ...accepted, takenAt: takenAt.toISOString() };
    } catch (error) {
      const refused = this.refusal(error);
      status = { v: 1, ok: false, ...refused };
      code = refused.status === 404 || refused.status === 410 ? PUBACK.notAuthorized : refused.retry ? PUBACK.quotaExceeded : PUBACK.payloadFormatInvalid;
      this.log.warn({ meterId, status: refused.status, reason: refused.error }, 'mqtt: photo refused');
    }
    // a device that set MQTT 5 correlation data on its photo finds it on the answer
    const correlationData = packet.properties?.correlationData;
    this.client?.publish(MqttTopic.status(meterId), JSON.stringify(status), { qos: 1, ...(correlationData ? { properties: { correlationData } } : {}) });
    return code;
  }

  /** The photo and its time: a bare JPEG/PNG (time in the `taken_at` user property) or a JSON envelope. */
  private unpack(payload: Buffer, packet: IPublishPacket): { bytes: Buffer; takenAt: Date } {
    if (payload.length > this.config.MAX_IMAGE_BYTES) throw new Refused(413, `the photo is larger than ${this.config.MAX_IMAGE_BYTES} bytes`);
    let bytes = payload;
    let when = userProperty(packet, 'taken_at');
    if (payload[0] === 0x7b /* { */) {
      let json: unknown;
      try {
        json = JSON.parse(payload.toString('utf8'));
      } catch {
        throw new Refused(400, 'the payload starts like JSON but is not JSON');
      }
      const envelope = MqttCaptureEnvelopeSchema.safeParse(json);
      if (!envelope.success) throw new Refused(400, `not a capture envelope: ${envelope.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      bytes = Buffer.from(envelope.data.image, 'base64');
      when = envelope.data.taken_at ?? when;
    }
    const takenAt = parseTakenAt(when, 'taken_at');
    if (typeof takenAt === 'string') throw new Refused(400, takenAt);
    return { bytes, takenAt };
  }

  /** What the device hears for a photo that was not taken in. */
  private refusal(error: unknown): { status: number; error: string; retry: boolean } {
    if (error instanceof Refused) return { status: error.status, error: error.message, retry: false };
    if (error instanceof ImageRejectedError) return { status: 422, error: error.message, retry: false };
    if (error instanceof HttpException) return { status: error.getStatus(), error: error.message, retry: error.getStatus() >= 500 };
    // Postgres or storage trouble: the photo was not stored, the device keeps it and sends it again
    return { status: 503, error: `not stored, send it again later: ${(error as Error).message}`, retry: true };
  }
}

function userProperty(packet: IPublishPacket, name: string): string | undefined {
  const value = packet.properties?.userProperties?.[name];
  return Array.isArray(value) ? value[0] : value;
}
