// Creates (or resets) ingest's account on the platform's broker with the admin account
// (metertwin-admin, MQTT_ADMIN_PASSWORD): the compose file's `mqtt-accounts` role, run before ingest.
// Usage: MQTT_URL=… MQTT_ADMIN_PASSWORD=… MQTT_USERNAME=… MQTT_PASSWORD=… tsx scripts/mqtt-accounts.ts
import { z } from 'zod';
import { MqttAccounts } from '@metertwin/mqtt-accounts';

const env = z
  .object({
    MQTT_URL: z.url({ protocol: /^mqtts?$/ }),
    MQTT_ADMIN_PASSWORD: z.string().min(1),
    MQTT_USERNAME: z.string().min(1),
    MQTT_PASSWORD: z.string().min(1),
  })
  .parse(process.env);

const accounts = await MqttAccounts.connect(env.MQTT_URL, { username: 'metertwin-admin', password: env.MQTT_ADMIN_PASSWORD });
try {
  await accounts.ensureIngestAccount(env.MQTT_USERNAME, env.MQTT_PASSWORD);
  console.log(`ingest's broker account ${env.MQTT_USERNAME} is ready`);
} finally {
  await accounts.close();
}
