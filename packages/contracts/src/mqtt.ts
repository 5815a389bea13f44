import { z } from 'zod';

/**
 * MQTT topics devices use. FROZEN like the queue names: devices in the field publish to them.
 * `<meterId>` is the meter's id; the broker lets each device publish only to its own meter's topics.
 */
export const MqttTopic = {
  /** device → ingest: one photo (a JPEG/PNG payload, or a CaptureEnvelope as JSON), QoS 1. */
  capture: (meterId: string) => `metertwin/v1/${meterId}/capture`,
  /** ingest → device: what became of its last photo (MqttCaptureStatus as JSON). */
  status: (meterId: string) => `metertwin/v1/${meterId}/status`,
  /** ingest → device: take a photo now (MqttCameraCommand as JSON), QoS 1; the photo comes back on the capture topic. */
  command: (meterId: string) => `metertwin/v1/${meterId}/command`,
  /** What ingest subscribes to (a shared subscription, so replicas split the photos). */
  captureShared: (group: string) => `$share/${group}/metertwin/v1/+/capture`,
  /** The meter id of a capture topic, or undefined for any other topic. */
  meterOf(topic: string): string | undefined {
    const match = /^metertwin\/v1\/([^/]+)\/capture$/.exec(topic);
    return match?.[1];
  },
} as const;

/** A photo as JSON, for devices that cannot set MQTT 5 user properties: `{"image": base64, "taken_at": ISO 8601}`. */
export const MqttCaptureEnvelopeSchema = z.object({
  image: z.base64().min(4),
  taken_at: z.string().optional(),
});
export type MqttCaptureEnvelope = z.infer<typeof MqttCaptureEnvelopeSchema>;

/** ingest's answer on the status topic: accepted (as HTTP 202) or refused (as the HTTP status would be, with the reason). */
export type MqttCaptureStatus =
  | { v: 1; ok: true; captureId: string; duplicate: boolean; takenAt: string }
  | { v: 1; ok: false; status: number; error: string; retry: boolean };

/** A command to a camera on its command topic: `photo` asks it for a photo now ("take a photo now" in the portal). */
export const MqttCameraCommandSchema = z.object({ v: z.literal(1), command: z.literal('photo'), requestedAt: z.string() });
export type MqttCameraCommand = z.infer<typeof MqttCameraCommandSchema>;

/** Where notify publishes readings for Home Assistant (HA's MQTT discovery). FROZEN: HA configs point at them. */
export const HomeAssistantTopic = {
  /** Everything MeterTwin publishes for HA besides the discovery configs. */
  root: 'metertwin/readings',
  /** notify's availability (its last will says offline): every meter's sensor follows it. */
  availability: 'metertwin/readings/status',
  state: (orgSlug: string, meterId: string) => `metertwin/readings/${orgSlug}/${meterId}/state`,
  config: (discoveryPrefix: string, meterId: string) => `${discoveryPrefix}/sensor/metertwin_${meterId}/reading/config`,
} as const;
