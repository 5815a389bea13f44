import { z } from 'zod';

/** http: the device (or its gateway) takes a POST of `{ commandId, actuatorId, command }`. */
export const HttpActuatorConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** Extra request headers, e.g. an API key the device expects. */
  headers: z.record(z.string(), z.string()).default({}),
});

/**
 * mqtt: the command is published to `commandTopic` (QoS 1) as `{ commandId, command }`; the device
 * confirms on `stateTopic` with `{ commandId, state }` (or `{ commandId, error }` when it cannot).
 */
export const MqttActuatorConfigSchema = z.object({
  /** The broker, e.g. mqtt://127.0.0.1:1883 or mqtts://broker.example:8883. */
  url: z.url({ protocol: /^(mqtt|mqtts|ws|wss)$/ }),
  commandTopic: z.string().min(1).refine((t) => !/[#+]/.test(t), { message: 'a command topic has no wildcards', params: { code: 'topic-wildcard' } }),
  stateTopic: z.string().min(1).refine((t) => !/[#+]/.test(t), { message: 'a state topic has no wildcards', params: { code: 'topic-wildcard' } }),
  username: z.string().optional(),
  password: z.string().optional(),
});

export const ActuatorSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), config: HttpActuatorConfigSchema }),
  z.object({ kind: z.literal('mqtt'), config: MqttActuatorConfigSchema }),
]);
export type ActuatorSpec = z.infer<typeof ActuatorSpecSchema>;
export type HttpActuatorConfig = z.infer<typeof HttpActuatorConfigSchema>;
export type MqttActuatorConfig = z.infer<typeof MqttActuatorConfigSchema>;
