import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import mqtt, { type MqttClient } from 'mqtt';
import { HomeAssistantTopic } from '@metertwin/contracts';
import type { Meter, Organization } from '@metertwin/db';
import { CONFIG, LOGGER, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { discoveryConfig, readingState } from '@metertwin/home-assistant';

type HaOrg = Pick<Organization, 'slug' | 'name' | 'homeAssistant' | 'homeAssistantPrefix'>;
type HaMeter = Pick<Meter, 'id' | 'name' | 'location' | 'kind' | 'unit'>;
type HaReading = { id: string; numeric: number; takenAt: Date; confidence: number };

const PUBLISH_TIMEOUT_MS = 5_000;

/**
 * Publishes accepted readings of organizations that turned Home Assistant on: the meter's retained
 * discovery config (again whenever it changes, or after a restart) and its retained state. One
 * connection for the whole service, whose last will marks every meter unavailable while notify is
 * gone. Off unless HA_MQTT_URL is set.
 */
@Injectable()
export class HomeAssistantPublisher implements OnApplicationShutdown {
  private client?: Promise<MqttClient>;
  /** The config last published per meter (retained on the broker: sent again only when it changes). */
  private readonly published = new Map<string, string>();

  constructor(
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Publishes the reading; fails after PUBLISH_TIMEOUT_MS rather than wait for a broker that is down. */
  async publish(org: HaOrg, meter: HaMeter, reading: HaReading): Promise<void> {
    if (!org.homeAssistant || !this.config.HA_MQTT_URL) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the broker did not take the reading within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.send(org, meter, reading), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(org: HaOrg, meter: HaMeter, reading: HaReading): Promise<void> {
    const client = await this.connect();
    const config = JSON.stringify(discoveryConfig(meter, org));
    const configTopic = HomeAssistantTopic.config(org.homeAssistantPrefix, meter.id);
    if (this.published.get(configTopic) !== config) {
      await client.publishAsync(configTopic, config, { qos: 1, retain: true });
      this.published.set(configTopic, config);
    }
    await client.publishAsync(HomeAssistantTopic.state(org.slug, meter.id), JSON.stringify(readingState(reading)), { qos: 1, retain: true });
  }

  async onApplicationShutdown(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    if (!client) return;
    // a clean stop: say so (the last will is for a crash)
    await client.publishAsync(HomeAssistantTopic.availability, 'offline', { qos: 1, retain: true }).catch(() => {});
    await client.endAsync();
  }

  private connect(): Promise<MqttClient> {
    this.client ??= mqtt
      .connectAsync(this.config.HA_MQTT_URL!, {
        username: this.config.HA_MQTT_USERNAME,
        password: this.config.HA_MQTT_PASSWORD,
        clientId: `metertwin-notify-ha-${hostname()}-${process.pid}`,
        reconnectPeriod: 5_000,
        will: { topic: HomeAssistantTopic.availability, payload: Buffer.from('offline'), qos: 1, retain: true },
      })
      .then(async (client) => {
        const online = () => client.publish(HomeAssistantTopic.availability, 'online', { qos: 1, retain: true });
        client.on('connect', online);
        online();
        client.on('error', (error) => this.log.warn({ err: error.message }, 'home assistant: mqtt error'));
        return client;
      })
      .catch((error: Error) => {
        this.client = undefined; // the next reading tries again
        throw error;
      });
    return this.client;
  }
}
