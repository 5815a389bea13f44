import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import mqtt, { type MqttClient } from 'mqtt';
import { HomeAssistantTopic } from '@metertwin/contracts';
import type { Meter, Organization, PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, PRISMA, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { discoveryConfig, readingState } from '@metertwin/home-assistant';
import { recordRetained } from './retained.repository.js';

type HaOrg = Pick<Organization, 'id' | 'slug' | 'name' | 'homeAssistant' | 'homeAssistantPrefix'>;
type HaMeter = Pick<Meter, 'id' | 'name' | 'location' | 'kind' | 'unit' | 'archivedAt'>;
type HaReading = { id: string; numeric: number; takenAt: Date; confidence: number };

const PUBLISH_TIMEOUT_MS = 5_000;

/**
 * Publishes accepted readings of organizations that turned Home Assistant on: the meter's retained
 * discovery config (again whenever it changes, after a restart, or after the sweeper cleared it) and
 * its retained state, each recorded in HomeAssistantRetained first so that HomeAssistantSweeper can
 * clear it when it is no longer wanted. One connection for the whole service, whose last will marks
 * every meter unavailable while notify is gone. Off unless HA_MQTT_URL is set.
 */
@Injectable()
export class HomeAssistantPublisher implements OnApplicationShutdown {
  private client?: Promise<MqttClient>;
  /** The config last published per meter (retained on the broker: sent again only when it changes). */
  private readonly published = new Map<string, string>();

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Publishes the reading; fails after PUBLISH_TIMEOUT_MS rather than wait for a broker that is down. */
  async publish(org: HaOrg, meter: HaMeter, reading: HaReading): Promise<void> {
    if (!org.homeAssistant || meter.archivedAt || !this.config.HA_MQTT_URL) return;
    await this.withinTimeout('the reading', this.send(org, meter, reading));
  }

  /**
   * Removes retained messages: an empty retained payload is how MQTT deletes one (and how HA's
   * discovery removes the entity). Fails after PUBLISH_TIMEOUT_MS like publish.
   */
  async clear(topics: string[]): Promise<void> {
    await this.withinTimeout('the removal', (async () => {
      const client = await this.connect();
      for (const topic of topics) {
        await client.publishAsync(topic, '', { qos: 1, retain: true });
        this.published.delete(topic);
      }
    })());
  }

  get enabled(): boolean {
    return Boolean(this.config.HA_MQTT_URL);
  }

  private async withinTimeout(what: string, work: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the broker did not take ${what} within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(org: HaOrg, meter: HaMeter, reading: HaReading): Promise<void> {
    const client = await this.connect();
    const config = JSON.stringify(discoveryConfig(meter, org));
    const configTopic = HomeAssistantTopic.config(org.homeAssistantPrefix, meter.id);
    const stateTopic = HomeAssistantTopic.state(org.slug, meter.id);
    // recorded before it is published: a topic the sweeper clears that never held anything costs nothing
    const recorded = await recordRetained(this.prisma, org.id, meter.id, [configTopic, stateTopic]);
    // not recorded: a sweeper (of any replica) cleared it since this process published it
    if (!recorded.has(configTopic) || this.published.get(configTopic) !== config) {
      await client.publishAsync(configTopic, config, { qos: 1, retain: true });
      this.published.set(configTopic, config);
    }
    await client.publishAsync(stateTopic, JSON.stringify(readingState(reading)), { qos: 1, retain: true });
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
