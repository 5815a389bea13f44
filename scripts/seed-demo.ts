// Sets up the demo: an organization, its portal users and a meter read every 10 s from the simulated camera.
// Idempotent: run it again and it updates the same meter and resets the users' password.
// Usage: tsx scripts/seed-demo.ts --camera URL [--password PW]
// Users: admin@demo.test, operator@demo.test, viewer@demo.test, password "metertwin-demo" unless given.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CounterLayoutSchema } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, hashPassword } from '@metertwin/db';

const { values } = parseArgs({
  options: {
    camera: { type: 'string', default: 'http://127.0.0.1:8081' },
    interval: { type: 'string', default: '10' },
    password: { type: 'string', default: 'metertwin-demo' },
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
  }
} finally {
  await prisma.$disconnect();
}
