import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { HomeAssistantTopic, MqttTopic } from '@metertwin/contracts';

const CONTROL = '$CONTROL/dynamic-security/v1';
const RESPONSE = `${CONTROL}/response`;
const COMMAND_TIMEOUT_MS = 10_000;

/** A device's broker account; the password is shown once, as a device token is. */
export interface DeviceAccount {
  username: string;
  password: string;
}

/** The broker refused a command, or did not answer. */
export class MqttAccountsError extends Error {}

interface DynsecResponse {
  command: string;
  error?: string;
  data?: { role?: { acls?: Acl[] } };
}

interface Acl {
  acltype: string;
  topic: string;
  allow: boolean;
}

/** What a device's role allows now; updateDeviceAcls brings accounts made under an older list to it. */
export type DeviceAclsUpdate = 'updated' | 'current' | 'missing';

const deviceUsername = (deviceId: string) => `device-${deviceId}`;
const deviceRole = (deviceId: string) => `metertwin-device-${deviceId}`;

/** A device's whole role: publish photos to its meter's capture topic, hear its status and command topics. */
const deviceAcls = (meterId: string): Acl[] => [
  { acltype: 'publishClientSend', topic: MqttTopic.capture(meterId), allow: true },
  { acltype: 'subscribePattern', topic: MqttTopic.status(meterId), allow: true },
  { acltype: 'publishClientReceive', topic: MqttTopic.status(meterId), allow: true },
  { acltype: 'subscribePattern', topic: MqttTopic.command(meterId), allow: true },
  { acltype: 'publishClientReceive', topic: MqttTopic.command(meterId), allow: true },
];
const aclKey = (acl: Acl) => `${acl.acltype} ${acl.topic} ${acl.allow}`;

/**
 * Accounts on Mosquitto through its dynamic-security plugin (commands published to
 * `$CONTROL/dynamic-security/v1` by an admin account). A device gets a role that lets it publish
 * photos to its own meter's capture topic and hear its own status and command topics, nothing else; revoking it
 * deletes the account and the role (a connected device is disconnected by the broker).
 */
export class MqttAccounts {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly client: MqttClient) {}

  static async connect(url: string, admin: { username: string; password: string }): Promise<MqttAccounts> {
    const client = await mqtt.connectAsync(url, {
      ...admin,
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: COMMAND_TIMEOUT_MS,
      clientId: `metertwin-accounts-${randomBytes(6).toString('hex')}`,
    });
    await client.subscribeAsync(RESPONSE, { qos: 1 });
    return new MqttAccounts(client);
  }

  /** Creates (or, when it has one, replaces) the device's account; its old password stops working. */
  async createDeviceAccount(meterId: string, deviceId: string): Promise<DeviceAccount> {
    await this.revokeDeviceAccount(deviceId);
    const username = deviceUsername(deviceId);
    const password = randomBytes(24).toString('base64url');
    await this.run([
      { command: 'createRole', rolename: deviceRole(deviceId), acls: deviceAcls(meterId) },
      { command: 'createClient', username, password, roles: [{ rolename: deviceRole(deviceId) }] },
    ]);
    return { username, password };
  }

  /**
   * Gives the device's existing role exactly the ACLs a new account gets (for the meter it is on now),
   * keeping its password: the ACLs it lacks are added and those it should not have removed, in one
   * batch. 'missing' when the broker has no such role (the account was never made there, or lost).
   */
  async updateDeviceAcls(meterId: string, deviceId: string): Promise<DeviceAclsUpdate> {
    const rolename = deviceRole(deviceId);
    const [answer] = await this.run([{ command: 'getRole', rolename }], { missingIsFine: true });
    const role = answer?.data?.role;
    if (!role) return 'missing';
    const have = role.acls ?? [];
    const want = deviceAcls(meterId);
    const wanted = new Set(want.map(aclKey));
    const had = new Set(have.map(aclKey));
    const extra = have.filter((acl) => !wanted.has(aclKey(acl)));
    const lacking = want.filter((acl) => !had.has(aclKey(acl)));
    if (extra.length === 0 && lacking.length === 0) return 'current';
    await this.run([
      ...extra.map(({ acltype, topic }) => ({ command: 'removeRoleACL', rolename, acltype, topic })),
      ...lacking.map((acl) => ({ command: 'addRoleACL', rolename, ...acl })),
    ]);
    return 'updated';
  }

  /** Deletes the device's account and role; a device without one is fine. */
  async revokeDeviceAccount(deviceId: string): Promise<void> {
    await this.run(
      [
        { command: 'deleteClient', username: deviceUsername(deviceId) },
        { command: 'deleteRole', rolename: deviceRole(deviceId) },
      ],
      { missingIsFine: true },
    );
  }

  /** The account ingest subscribes with: hears every meter's photos (shared subscription), answers on their status topics, asks cameras for a photo on their command topics. */
  ensureIngestAccount(username: string, password: string): Promise<void> {
    return this.ensureServiceAccount(username, password, 'metertwin-ingest', [
      { acltype: 'subscribePattern', topic: MqttTopic.captureShared('+'), allow: true },
      { acltype: 'subscribePattern', topic: 'metertwin/v1/+/capture', allow: true },
      { acltype: 'publishClientReceive', topic: 'metertwin/v1/+/capture', allow: true },
      { acltype: 'publishClientSend', topic: 'metertwin/v1/+/status', allow: true },
      { acltype: 'publishClientSend', topic: 'metertwin/v1/+/command', allow: true },
    ]);
  }

  /** The account notify publishes readings for Home Assistant with: discovery configs under `discoveryPrefix`, states under metertwin/readings. */
  ensureHomeAssistantAccount(username: string, password: string, discoveryPrefix = 'homeassistant'): Promise<void> {
    return this.ensureServiceAccount(username, password, 'metertwin-home-assistant', [
      { acltype: 'publishClientSend', topic: `${discoveryPrefix}/sensor/#`, allow: true },
      { acltype: 'publishClientSend', topic: `${HomeAssistantTopic.root}/#`, allow: true },
    ]);
  }

  /** The account Home Assistant connects with: reads the discovery configs and the states, announces itself on `<prefix>/status`. */
  ensureHomeAssistantClientAccount(username: string, password: string, discoveryPrefix = 'homeassistant'): Promise<void> {
    return this.ensureServiceAccount(username, password, 'home-assistant', [
      { acltype: 'subscribePattern', topic: `${discoveryPrefix}/#`, allow: true },
      { acltype: 'subscribePattern', topic: `${HomeAssistantTopic.root}/#`, allow: true },
      { acltype: 'publishClientSend', topic: `${discoveryPrefix}/status`, allow: true },
    ]);
  }

  /** A platform service's account with exactly these ACLs (replacing what it had). */
  private async ensureServiceAccount(username: string, password: string, rolename: string, acls: Record<string, unknown>[]): Promise<void> {
    await this.run(
      [
        { command: 'deleteClient', username },
        { command: 'deleteRole', rolename },
      ],
      { missingIsFine: true },
    );
    await this.run([
      { command: 'createRole', rolename, acls },
      { command: 'createClient', username, password, roles: [{ rolename }] },
    ]);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  /** Sends commands one batch at a time (the broker answers each batch in one response message). */
  private run(commands: Record<string, unknown>[], { missingIsFine = false } = {}): Promise<DynsecResponse[]> {
    const next = this.queue.then(() => this.send(commands, missingIsFine));
    this.queue = next.catch(() => {});
    return next;
  }

  private send(commands: Record<string, unknown>[], missingIsFine: boolean): Promise<DynsecResponse[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('message', onMessage);
        reject(new MqttAccountsError(`the broker did not answer ${commands.map((c) => c.command).join(', ')} within ${COMMAND_TIMEOUT_MS} ms (is the dynamic-security plugin loaded?)`));
      }, COMMAND_TIMEOUT_MS);
      const onMessage = (topic: string, payload: Buffer) => {
        if (topic !== RESPONSE) return;
        clearTimeout(timer);
        this.client.off('message', onMessage);
        const { responses = [] } = JSON.parse(payload.toString()) as { responses?: DynsecResponse[] };
        const failed = responses.filter((r) => r.error && !(missingIsFine && /not found/i.test(r.error)));
        if (failed.length) reject(new MqttAccountsError(failed.map((r) => `${r.command}: ${r.error}`).join('; ')));
        else resolve(responses);
      };
      this.client.on('message', onMessage);
      this.client.publish(CONTROL, JSON.stringify({ commands }), { qos: 1 }, (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.client.off('message', onMessage);
        reject(new MqttAccountsError(`cannot send to the broker: ${error.message}`));
      });
    });
  }
}
