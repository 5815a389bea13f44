import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { checkDestination, OutboundError, pinnedLookup, type Destination, type OutboundPolicy } from '@metertwin/egress';
import { ActuationRefusedError, ActuationTimeoutError, type ActuatorAdapter, type CommandOutcome, type OutgoingCommand, type SendOptions } from './actuator-adapter.js';
import { MqttActuatorConfigSchema, type MqttActuatorConfig } from '@metertwin/alarms';

interface Waiter {
  resolve(outcome: CommandOutcome): void;
  reject(error: Error): void;
}

interface Broker {
  client: MqttClient;
  subscribed: Set<string>;
  /** `stateTopic\ncommandId` → the send waiting for that confirmation. */
  waiters: Map<string, Waiter>;
}

const CONNECT_TIMEOUT_MS = 5_000;
const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

/**
 * Publishes `{ commandId, command }` to the actuator's command topic with QoS 1 and waits for the
 * device's `{ commandId, state }` (or `{ commandId, error }`) on its state topic; other messages on
 * that topic (stale confirmations, state reports) are ignored. One connection per broker and
 * credentials, shared by every actuator on it, opened on first use and closed at shutdown. The broker
 * is reached through the organization's outbound policy, at the address that was checked.
 */
@Injectable()
export class MqttActuatorAdapter implements ActuatorAdapter, OnApplicationShutdown {
  private readonly brokers = new Map<string, Promise<Broker>>();

  async send(rawConfig: unknown, command: OutgoingCommand, { timeoutMs, policy }: SendOptions): Promise<CommandOutcome> {
    const config = MqttActuatorConfigSchema.parse(rawConfig);
    const broker = await this.broker(config, await checkBroker(config.url, policy));
    if (!broker.subscribed.has(config.stateTopic)) {
      // Subscribed before publishing, so a quick confirmation cannot be missed.
      await broker.client.subscribeAsync(config.stateTopic, { qos: 1 });
      broker.subscribed.add(config.stateTopic);
    }
    const key = `${config.stateTopic}\n${command.commandId}`;
    const confirmed = new Promise<CommandOutcome>((resolve, reject) => broker.waiters.set(key, { resolve, reject }));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ActuationTimeoutError(`no confirmation on ${config.stateTopic} within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await broker.client.publishAsync(config.commandTopic, JSON.stringify({ commandId: command.commandId, command: command.command }), { qos: 1 });
      return await Promise.race([confirmed, timedOut]);
    } finally {
      clearTimeout(timer);
      broker.waiters.delete(key);
    }
  }

  private broker(config: MqttActuatorConfig, destination: Destination): Promise<Broker> {
    const key = `${config.url}\n${config.username ?? ''}\n${destination.addresses[0]!.address}`;
    let broker = this.brokers.get(key);
    if (!broker) {
      broker = this.connect(config, destination);
      this.brokers.set(key, broker);
      // A failed connection is not cached: the next command tries again.
      broker.catch(() => this.brokers.delete(key));
    }
    return broker;
  }

  private async connect(config: MqttActuatorConfig, destination: Destination): Promise<Broker> {
    const client = await mqtt.connectAsync(config.url, {
      clientId: `metertwin-notify-${randomUUID()}`,
      username: config.username,
      password: config.password,
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectPeriod: 1_000,
      ...pinnedTo(destination),
    });
    const broker: Broker = { client, subscribed: new Set(), waiters: new Map() };
    client.on('message', (topic, payload) => {
      const message = parseConfirmation(payload);
      if (!message) return;
      const waiter = broker.waiters.get(`${topic}\n${message.commandId}`);
      if (!waiter) return;
      if (message.error !== undefined) waiter.reject(new ActuationRefusedError(`device refused: ${message.error}`));
      else waiter.resolve({ state: message.state });
    });
    // After a reconnect the broker may have forgotten the subscriptions (clean session).
    client.on('connect', () => broker.subscribed.clear());
    return broker;
  }

  async onApplicationShutdown(): Promise<void> {
    const brokers = await Promise.allSettled(this.brokers.values());
    this.brokers.clear();
    await Promise.all(brokers.map((b) => (b.status === 'fulfilled' ? b.value.client.endAsync() : undefined)));
  }
}

/** The broker URL through the policy; a refusal is final for the command. */
async function checkBroker(url: string, policy: OutboundPolicy): Promise<Destination> {
  try {
    return await checkDestination(url, policy, MQTT_PROTOCOLS);
  } catch (error) {
    if (error instanceof OutboundError && (error.failure === 'refused' || error.failure === 'invalid-url')) {
      throw new ActuationRefusedError(error.message);
    }
    throw error;
  }
}

/**
 * Connects to the checked address, not to a fresh DNS answer: TCP and TLS get the address as host
 * (TLS keeps the name for SNI and the certificate), WebSockets a lookup that answers with it.
 */
function pinnedTo({ url, addresses }: Destination): IClientOptions {
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return { wsOptions: { lookup: pinnedLookup(addresses) } };
  const name = url.hostname.replace(/^\[|\]$/g, '');
  return { hostname: addresses[0]!.address, ...(isIP(name) ? {} : { servername: name }) };
}

function parseConfirmation(payload: Buffer): { commandId: string; state?: string; error?: string } | undefined {
  try {
    const message = JSON.parse(payload.toString('utf8')) as Record<string, unknown> | null;
    if (!message || typeof message.commandId !== 'string') return undefined;
    return {
      commandId: message.commandId,
      state: typeof message.state === 'string' ? message.state : undefined,
      error: message.error === undefined ? undefined : String(message.error),
    };
  } catch {
    return undefined;
  }
}
