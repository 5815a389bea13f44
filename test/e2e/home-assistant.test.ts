import 'reflect-metadata';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HomeAssistantTopic } from '@metertwin/contracts';
import { setHomeAssistant } from '@metertwin/home-assistant';
import { setMeterArchived } from '@metertwin/meters';
import { MqttAccounts } from '@metertwin/mqtt-accounts';
import { waitFor } from '@metertwin/testing';
import { startMosquitto } from './mosquitto-server.js';
import { createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

/** What a Home Assistant connecting now would see: every retained message under its subscriptions. */
async function retained(url: string, account: { username: string; password: string }, filters: string[]) {
  const client = await mqtt.connectAsync(url, { ...account, protocolVersion: 5, reconnectPeriod: 0 });
  const seen = new Map<string, string>();
  client.on('message', (topic, payload, packet) => {
    if (packet.retain) seen.set(topic, payload.toString());
  });
  await client.subscribeAsync(filters, { qos: 1 });
  await new Promise((r) => setTimeout(r, 400));
  await client.endAsync();
  return seen;
}

describe('Home Assistant over MQTT discovery (real Mosquitto)', () => {
  let broker: Awaited<ReturnType<typeof startMosquitto>>;
  let notify: NotifyHarness;
  const homeAssistant = { username: 'home-assistant', password: 'ha-password-0123' };

  beforeAll(async () => {
    broker = await startMosquitto();
    const accounts = await MqttAccounts.connect(broker.url, broker.admin);
    await accounts.ensureHomeAssistantAccount('notify-ha', 'notify-ha-password');
    await accounts.ensureHomeAssistantClientAccount(homeAssistant.username, homeAssistant.password);
    await accounts.close();
    notify = await startNotifyHarness({ HA_MQTT_URL: broker.url, HA_MQTT_USERNAME: 'notify-ha', HA_MQTT_PASSWORD: 'notify-ha-password', HA_SWEEP_MS: '300' });
  });
  afterAll(async () => {
    await notify.stop();
    await broker.stop();
  });

  it("publishes a retained discovery config and the latest state of each meter of an organization that turned it on, and nothing of others'", async () => {
    const on = await createOrgAndMeter(notify.prisma, 'ha-on');
    // the admin's switch in the portal
    await setHomeAssistant(notify.prisma, { orgId: on.orgId, type: 'user', id: 'an-admin' }, true);
    const off = await createOrgAndMeter(notify.prisma, 'ha-off');
    const t0 = Date.now() - 3 * 3_600_000;
    const rows = await insertReadings(notify.prisma, on.meter.id, [0, 1, 2].map((h) => ({ takenAt: new Date(t0 + h * 3_600_000), value: 1234.5 + h })));
    // the newest reading first, the older ones after it (a backlog drained out of order)
    await notifyReadings(notify, on.meter.id, [rows[2]!]);
    await notifyReadings(notify, on.meter.id, rows.slice(0, 2));
    const offRows = await insertReadings(notify.prisma, off.meter.id, [{ takenAt: new Date(t0), value: 5 }]);
    await notifyReadings(notify, off.meter.id, offRows);

    const seen = await retained(broker.url, homeAssistant, ['homeassistant/#', `${HomeAssistantTopic.root}/#`]);
    const config = JSON.parse(seen.get(HomeAssistantTopic.config('homeassistant', on.meter.id))!) as Record<string, unknown>;
    expect(config).toMatchObject({
      unique_id: `metertwin_${on.meter.id}_reading`,
      state_topic: HomeAssistantTopic.state('ha-on', on.meter.id),
      device_class: 'water',
      state_class: 'total_increasing',
      unit_of_measurement: 'm³',
      availability_topic: HomeAssistantTopic.availability,
      device: { identifiers: [`metertwin_${on.meter.id}`], name: 'ha-on meter', manufacturer: 'MeterTwin' },
    });
    // the state is the latest reading, not the last one processed: HA would take a lower total as a new meter
    expect(JSON.parse(seen.get(HomeAssistantTopic.state('ha-on', on.meter.id))!)).toMatchObject({ value: 1236.5, reading_id: rows[2]!.id });
    expect(seen.get(HomeAssistantTopic.availability)).toBe('online');
    expect([...seen.keys()].filter((t) => t.includes(off.meter.id))).toEqual([]);
  });

  it('marks the meters unavailable when notify stops, and online again when it is back', async () => {
    const on = await createOrgAndMeter(notify.prisma, 'ha-restart');
    await notify.prisma.organization.update({ where: { id: on.orgId }, data: { homeAssistant: true } });
    await notify.app.close();
    const availability = async () => (await retained(broker.url, homeAssistant, [HomeAssistantTopic.availability])).get(HomeAssistantTopic.availability);
    expect(await availability()).toBe('offline');
    await notify.restart();
    await notifyReadings(notify, on.meter.id, await insertReadings(notify.prisma, on.meter.id, [{ takenAt: new Date(Date.now() - 60_000), value: 7 }]));
    await waitFor(async () => (await availability()) === 'online', { what: 'availability online' });
  });

  it('clears the retained config and state when the organization turns HA off or changes its prefix, or the meter is archived or deleted', async () => {
    const admin = (orgId: string) => ({ orgId, type: 'user' as const, id: 'an-admin' });
    const slugs = ['ha-sw-off', 'ha-sw-prefix', 'ha-sw-archived', 'ha-sw-deleted', 'ha-sw-kept'] as const;
    const orgs = Object.fromEntries(await Promise.all(slugs.map(async (slug) => [slug, await createOrgAndMeter(notify.prisma, slug)] as const)));
    const topics = (slug: (typeof slugs)[number], prefix = 'homeassistant') => [
      HomeAssistantTopic.config(prefix, orgs[slug]!.meter.id),
      HomeAssistantTopic.state(slug, orgs[slug]!.meter.id),
    ];
    const publishReading = async (slug: (typeof slugs)[number], value: number) => {
      const { meter } = orgs[slug]!;
      await notifyReadings(notify, meter.id, await insertReadings(notify.prisma, meter.id, [{ takenAt: new Date(Date.now() - 60_000 + value), value }]));
    };
    for (const slug of slugs) {
      await setHomeAssistant(notify.prisma, admin(orgs[slug]!.orgId), true);
      await publishReading(slug, 10);
    }
    const everything = () => retained(broker.url, homeAssistant, ['homeassistant/#', `${HomeAssistantTopic.root}/#`]);
    const before = await everything();
    for (const slug of slugs) for (const topic of topics(slug)) expect(before.get(topic), topic).toBeTruthy();

    await setHomeAssistant(notify.prisma, admin(orgs['ha-sw-off']!.orgId), false);
    await notify.prisma.organization.update({ where: { id: orgs['ha-sw-prefix']!.orgId }, data: { homeAssistantPrefix: 'ha-elsewhere' } });
    await setMeterArchived(notify.prisma, admin(orgs['ha-sw-archived']!.orgId), orgs['ha-sw-archived']!.meter.id, true);
    await notify.prisma.meter.delete({ where: { id: orgs['ha-sw-deleted']!.meter.id } });

    // a new prefix moves only the config: the state topic stays what the config under the new prefix names
    const gone = [...topics('ha-sw-off'), topics('ha-sw-prefix')[0]!, ...topics('ha-sw-archived'), ...topics('ha-sw-deleted')];
    await waitFor(async () => {
      const now = await everything();
      return gone.every((topic) => !now.has(topic));
    }, { what: 'the retained messages of what HA should no longer see cleared' });
    const after = await everything();
    for (const topic of [...topics('ha-sw-kept'), topics('ha-sw-prefix')[1]!]) expect(after.get(topic), topic).toBe(before.get(topic));
    expect(await notify.prisma.homeAssistantRetained.count({ where: { topic: { in: gone } } })).toBe(0);

    // on again: the next reading brings the meter back, config included
    await setHomeAssistant(notify.prisma, admin(orgs['ha-sw-off']!.orgId), true);
    await publishReading('ha-sw-off', 20);
    const again = await everything();
    expect(JSON.parse(again.get(topics('ha-sw-off')[0]!)!)).toMatchObject({ unique_id: `metertwin_${orgs['ha-sw-off']!.meter.id}_reading` });
    expect(JSON.parse(again.get(topics('ha-sw-off')[1]!)!)).toMatchObject({ value: 20 });
  });
});
