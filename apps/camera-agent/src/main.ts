#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { CameraAgent } from './agent.js';
import { loadConfig } from './config.js';
import { startHealthServer } from './health-server.js';
import { Spool } from './spool.js';

const USAGE = `usage: metertwin-camera-agent --config agent.json [--once]

Takes a photo every intervalSec, keeps it on disk (spool.dir) until MeterTwin has it and sends it
with the time it was taken, oldest first. --once: one photo, send what waits, exit (0 when nothing
is left waiting). The device token may be given as METERTWIN_DEVICE_TOKEN instead of in the file,
the MQTT password as METERTWIN_MQTT_PASSWORD.`;

const log = (event: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);

const { values } = parseArgs({ options: { config: { type: 'string' }, once: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
if (values.help || !values.config) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}
try {
  const config = await loadConfig(values.config);
  const agent = new CameraAgent(config, await Spool.open(config.spool.dir, config.spool.maxPhotos), log);
  if (values.once) {
    await agent.takePhoto();
    await agent.flush();
    const health = await agent.health();
    log('once', { ...health });
    await agent.stop();
    process.exit(health.waiting === 0 ? 0 : 1);
  }
  const health = config.health && (await startHealthServer(agent, config.health.host, config.health.port));
  if (health) log('health.listening', { url: `${health.url}/healthz` });
  agent.start();
  log('started', { meterId: config.meterId, intervalSec: config.intervalSec, transport: config.mqtt ? 'mqtt' : 'http' });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log('stopping', { signal });
      health?.server.close();
      void agent.stop().then(() => process.exit(0));
    });
  }
} catch (error) {
  process.stderr.write(`metertwin-camera-agent: ${(error as Error).message}\n`);
  process.exit(2);
}
