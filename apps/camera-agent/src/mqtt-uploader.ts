import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { PhotoUploader, UploadOutcome } from './uploader.js';

/**
 * The platform's MQTT photo protocol (docs/api.md, "Photos over MQTT"), spelled out here because the
 * agent is installed on its own, without the platform's packages.
 */
const captureTopic = (meterId: string) => `metertwin/v1/${meterId}/capture`;
const statusTopic = (meterId: string) => `metertwin/v1/${meterId}/status`;

/** ingest's answer on the status topic. */
type CaptureStatus =
  | { v: 1; ok: true; captureId: string; duplicate: boolean }
  | { v: 1; ok: false; status: number; error: string; retry: boolean };

/** The status statuses that are about this camera's setup, not this photo: keep the photo, as over HTTP. */
const NOT_THIS_CAMERA = new Set([401, 403, 404]);

export interface MqttTarget {
  url: string;
  username: string;
  password: string;
  meterId: string;
  timeoutMs: number;
}

/**
 * Sends photos over MQTT 5 to the platform's Mosquitto with the camera's own account: each photo is
 * published with QoS 1 to the meter's capture topic, its time as the `taken_at` user property and a
 * correlation id, and counts as stored only when ingest's answer with that id arrives on the status
 * topic (the broker's PUBACK alone says nothing about ingest). One connection, kept between photos.
 */
export class MqttUploader implements PhotoUploader {
  private client?: Promise<MqttClient>;
  private readonly waiting = new Map<string, (status: CaptureStatus) => void>();

  constructor(private readonly target: MqttTarget) {}

  async send(photo: Buffer, takenAt: Date): Promise<UploadOutcome> {
    let client: MqttClient;
    try {
      client = await this.connected();
    } catch (error) {
      this.client = undefined;
      return { kind: 'retry', reason: `broker unreachable: ${(error as Error).message}` };
    }
    const correlation = randomUUID();
    const answer = new Promise<CaptureStatus | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(correlation);
        resolve(undefined);
      }, this.target.timeoutMs);
      this.waiting.set(correlation, (status) => {
        clearTimeout(timer);
        this.waiting.delete(correlation);
        resolve(status);
      });
    });
    try {
      await client.publishAsync(captureTopic(this.target.meterId), photo, {
        qos: 1,
        properties: { userProperties: { taken_at: takenAt.toISOString() }, correlationData: Buffer.from(correlation) },
      });
    } catch (error) {
      this.waiting.get(correlation)?.({ v: 1, ok: false, status: 0, error: (error as Error).message, retry: true });
      // e.g. PUBACK 0x87: the broker does not let this account publish to that meter
      return { kind: 'retry', reason: `publish refused by the broker: ${(error as Error).message} (check meterId, username and password; photos are kept)` };
    }
    const status = await answer;
    if (!status) return { kind: 'retry', reason: `no answer from the platform on ${statusTopic(this.target.meterId)} within ${this.target.timeoutMs} ms` };
    if (status.ok) return { kind: 'stored', captureId: status.captureId, duplicate: status.duplicate };
    const reason = `status ${status.status}: ${status.error}`;
    if (status.retry || NOT_THIS_CAMERA.has(status.status)) return { kind: 'retry', reason };
    return { kind: 'refused', status: status.status, reason };
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    this.client = undefined;
    await client?.endAsync();
  }

  /** The connection, subscribed to the meter's status topic before the first photo goes out. */
  private connected(): Promise<MqttClient> {
    this.client ??= (async () => {
      const client = await mqtt.connectAsync(this.target.url, {
        username: this.target.username,
        password: this.target.password,
        protocolVersion: 5,
        connectTimeout: this.target.timeoutMs,
        reconnectPeriod: 0,
      });
      client.on('message', (_topic, payload, packet) => {
        const correlation = packet.properties?.correlationData?.toString();
        if (!correlation) return;
        try {
          this.waiting.get(correlation)?.(JSON.parse(payload.toString()) as CaptureStatus);
        } catch {
          // not a status message of ours
        }
      });
      // A dropped connection is made again on the next photo.
      client.on('close', () => (this.client = undefined));
      await client.subscribeAsync(statusTopic(this.target.meterId), { qos: 1 });
      return client;
    })();
    return this.client;
  }
}
