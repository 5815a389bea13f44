// Sets up the demo: an organization, its portal users and a meter read every 10 s from the simulated camera.
// Idempotent: run it again and it updates the same meter and resets the users' password.
// Usage: tsx scripts/seed-demo.ts --camera URL [--password PW] [--mqtt URL --agent-config FILE]
// Users: admin@demo.test, operator@demo.test, viewer@demo.test, password "metertwin-demo" unless given.
// --mqtt: the camera pushes over MQTT instead of being pulled: ingest's account (MQTT_USERNAME,
// MQTT_PASSWORD) and the camera's own are made on that broker (admin: metertwin-admin,
// MQTT_ADMIN_PASSWORD), and the camera agent's config, which sends the simulator's snapshots, is written.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CounterLayoutSchema } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, hashPassword, type PrismaClient } from '@metertwin/db';
import { MqttAccounts, provisionMqttCamera } from '@metertwin/mqtt-accounts';

const { values } = parseArgs({
  options: {
    camera: { type: 'string', default: 'http://127.0.0.1:8081' },
    interval: { type: 'string', default: '10' },
    password: { type: 'string', default: 'metertwin-demo' },
    mqtt: { type: 'string' },
    'agent-config': { type: 'string', default: 'var/camera-agent.json' },
  },
});
const databaseUrl = z
  .string()
  .url()
  .parse(process.env.DATABASE_URL, { error: () => 'DATABASE_URL must be set' });
const camera = values.camera.replace(/\/$/, '');
const CameraStatusSchema = z.object({ digits: z.number().int(), decimals: z.number().int() });

const status = CameraStatusSchema.parse(await (await fetch(`${camera}/status`)).json());
const layout = CounterLayoutSchema.parse(await (await fetch(`${camera}/layout`)).json());
const prisma = createPrismaClient(databaseUrl);
const name = 'Demo water meter';

try {
  const org = await prisma.organization.upsert({
    where: { slug: 'demo' },
    update: {},
    create: { name: 'Demo Utility', slug: 'demo' },
  });
  const passwordHash = await hashPassword(values.password);
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const email = `${role}@demo.test`;
    const name = `Demo ${role}`;
    await prisma.user.upsert({
      where: { email },
      update: { passwordHash, role, orgId: org.id },
      create: { email, name, role, orgId: org.id, passwordHash },
    });
  }
  console.log(
    `demo users admin@demo.test, operator@demo.test, viewer@demo.test (password ${values.password})`,
  );
  const shape = { digits: status.digits + status.decimals, decimals: status.decimals };
  const existing = await prisma.meter.findFirst({
    where: { orgId: org.id, name },
    include: { devices: true },
  });
  if (existing) {
    await prisma.meter.update({ where: { id: existing.id }, data: { ...shape, layout } });
    await prisma.device.updateMany({
      where: { meterId: existing.id },
      data: { snapshotUrl: `${camera}/capture`, pullIntervalSec: Number(values.interval) },
    });
    console.log(`demo meter ${existing.id} updated (camera ${camera})`);
    if (values.mqtt) await pushOverMqtt(prisma, existing.id, values.mqtt);
  } else {
    const { meterId } = await createMeterWithCamera(
      prisma,
      { orgId: org.id, name, location: 'Building A, basement', kind: 'water', unit: 'm3', ...shape, layout },
      {
        name: 'Simulated ESP32-CAM',
        snapshotUrl: `${camera}/capture`,
        pullIntervalSec: Number(values.interval),
      },
    );
    // The simulated camera's meter runs 1.8 m³/h day and night, so the flow-rate rule raises an alarm
    // at once and the alarms page has something to show; no-reading notices a stopped camera.
    await prisma.rule.createMany({
      data: [
        { orgId: org.id, meterId, type: 'threshold', config: { above: 99_000 }, severity: 'warning' },
        { orgId: org.id, meterId, type: 'flow-rate', config: { above: 1 }, severity: 'major' },
        { orgId: org.id, meterId, type: 'no-reading', config: { minutes: 10 }, severity: 'minor' },
      ],
    });
    console.log(`demo meter ${meterId} created (camera ${camera})`);
    if (values.mqtt) await pushOverMqtt(prisma, meterId, values.mqtt);
  }
} finally {
  await prisma.$disconnect();
}

/** The demo camera as a pushing one: no pulls, its own broker account, and the agent's config to send with it. */
async function pushOverMqtt(prisma: PrismaClient, meterId: string, url: string): Promise<void> {
  const env = z
    .object({ MQTT_USERNAME: z.string().min(1), MQTT_PASSWORD: z.string().min(1), MQTT_ADMIN_PASSWORD: z.string().min(1) })
    .parse(process.env);
  const device = await prisma.device.findFirstOrThrow({ where: { meterId }, orderBy: { createdAt: 'asc' } });
  await prisma.device.update({ where: { id: device.id }, data: { snapshotUrl: null, pullIntervalSec: null } });
  const accounts = await MqttAccounts.connect(url, { username: 'metertwin-admin', password: env.MQTT_ADMIN_PASSWORD });
  try {
    await accounts.ensureIngestAccount(env.MQTT_USERNAME, env.MQTT_PASSWORD);
    const account = await provisionMqttCamera(prisma, accounts, device.id);
    const agent = {
      meterId,
      mqtt: { url, ...account },
      intervalSec: Number(values.interval),
      capture: { snapshotUrl: `${camera}/capture` },
      spool: { dir: 'var/camera-agent-spool' },
      health: { port: 8091 },
    };
    await writeFile(values['agent-config'], `${JSON.stringify(agent, null, 2)}\n`, { mode: 0o600 });
    console.log(`demo camera pushes over MQTT (${url}) as ${account.username}; agent config ${values['agent-config']}`);
  } finally {
    await accounts.close();
  }
}
