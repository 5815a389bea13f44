import mqtt, { type MqttClient } from 'mqtt';
import type { MqttTarget } from './mqtt-uploader.js';

/** Where the platform asks for a photo now (docs/api.md, "Photos over MQTT"); spelled out as the uploader's topics are. */
const commandTopic = (meterId: string) => `metertwin/v1/${meterId}/command`;

/** How soon a dropped connection is made again: a command while it is down waits in the broker's session. */
const RECONNECT_MS = 5_000;

/**
 * Listens on the meter's command topic with the camera's own account and calls `onPhoto` for each
 * `{"v":1,"command":"photo"}` ("take a photo now" in the portal). Its own connection, kept open and
 * made again when it drops, with a session that the broker keeps for an hour, so a command published
 * while the agent reconnects still arrives; anything else on the topic is ignored.
 */
export class MqttCommandListener {
  private readonly client: MqttClient;

  constructor(
    target: Omit<MqttTarget, 'timeoutMs'>,
    onPhoto: () => void,
    log: (event: string, fields?: Record<string, unknown>) => void = () => {},
  ) {
    this.client = mqtt.connect(target.url, {
      username: target.username,
      password: target.password,
      protocolVersion: 5,
      clientId: `${target.username}-commands`,
      clean: false,
      properties: { sessionExpiryInterval: 3_600 },
      reconnectPeriod: RECONNECT_MS,
    });
    this.client.on('connect', (connack) => {
      // a session the broker kept still has the subscription
      if (connack.sessionPresent) return;
      this.client.subscribe(commandTopic(target.meterId), { qos: 1 }, (error) => {
        if (error) log('commands.unavailable', { error: error.message });
      });
    });
    this.client.on('message', (_topic, payload) => {
      let command: unknown;
      try {
        command = JSON.parse(payload.toString('utf8'));
      } catch {
        return;
      }
      const { v, command: name } = (command ?? {}) as { v?: unknown; command?: unknown };
      if (v !== 1 || name !== 'photo') return;
      log('command.photo');
      onPhoto();
    });
    this.client.on('error', (error) => log('commands.error', { error: error.message }));
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
