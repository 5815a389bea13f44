// The compose file's one-shot `mqtt-accounts` role, run before ingest with the broker's admin account
// (metertwin-admin, MQTT_ADMIN_PASSWORD): creates (or resets) ingest's account, then brings every MQTT
// camera's account to the ACLs a new one gets (reconcileMqttCameras; passwords kept), so that a
// deployment that adds a device topic (the command topic did) needs no re-provisioning of cameras.
// Usage: DATABASE_URL=… MQTT_URL=… MQTT_ADMIN_PASSWORD=… MQTT_USERNAME=… MQTT_PASSWORD=… tsx scripts/mqtt-accounts.ts
import { z } from 'zod';
import { createPrismaClient } from '@metertwin/db';
import { MqttAccounts, reconcileMqttCameras } from '@metertwin/mqtt-accounts';

const env = z
  .object({
    DATABASE_URL: z.string().min(1),
    MQTT_URL: z.url({ protocol: /^mqtts?$/ }),
    MQTT_ADMIN_PASSWORD: z.string().min(1),
    MQTT_USERNAME: z.string().min(1),
    MQTT_PASSWORD: z.string().min(1),
  })
  .parse(process.env);

const prisma = createPrismaClient(env.DATABASE_URL);
const accounts = await MqttAccounts.connect(env.MQTT_URL, { username: 'metertwin-admin', password: env.MQTT_ADMIN_PASSWORD });
try {
  await accounts.ensureIngestAccount(env.MQTT_USERNAME, env.MQTT_PASSWORD);
  console.log(`ingest's broker account ${env.MQTT_USERNAME} is ready`);
  const cameras = await reconcileMqttCameras(prisma, accounts);
  console.log(`camera accounts: ${cameras.updated.length} updated, ${cameras.current.length} up to date, ${cameras.missing.length} missing on the broker`);
  // a camera the database says has an account the broker lacks (a lost broker volume) must be provisioned again
  for (const deviceId of cameras.missing) console.warn(`device ${deviceId}: no account on the broker; provision the camera again`);
} finally {
  await accounts.close();
  await prisma.$disconnect();
}
