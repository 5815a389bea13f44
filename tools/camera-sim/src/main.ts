#!/usr/bin/env node
// node dist/main.js --port 8081 --start 1234.5 --rate 2.5   (flags override CAMSIM_* environment variables)
import { parseArgs } from 'node:util';
import { startCameraSimulator } from './index.js';

const env = process.env;
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: env.CAMSIM_PORT ?? '8081' },
    host: { type: 'string', default: env.CAMSIM_HOST ?? '127.0.0.1' },
    start: { type: 'string', default: env.CAMSIM_START ?? '1234.5' },
    rate: { type: 'string', default: env.CAMSIM_RATE ?? '2.5' },
    digits: { type: 'string', default: env.CAMSIM_DIGITS ?? '5' },
    decimals: { type: 'string', default: env.CAMSIM_DECIMALS ?? '3' },
    pointers: { type: 'string', default: env.CAMSIM_POINTERS ?? '0' },
    look: { type: 'string', default: env.CAMSIM_LOOK ?? 'day' },
    effects: { type: 'string', default: env.CAMSIM_EFFECTS ?? '0.25' },
    seed: { type: 'string', default: env.CAMSIM_SEED ?? '1' },
    user: { type: 'string', default: env.CAMSIM_USER },
    password: { type: 'string', default: env.CAMSIM_PASSWORD },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(`metertwin-camera-sim: a fake ESP32-CAM serving COMPOSED meter images from real digit crops
  --port 8081 --host 127.0.0.1 --start 1234.5 (m³) --rate 2.5 (L/min) --digits 5 --decimals 3 --pointers 0
  --look day|infrared|auto --effects 0.25 --seed 1 [--user U --password P]   (env: CAMSIM_PORT, CAMSIM_START, …)
  GET /capture  GET /status  GET /truth  GET /json (AI-on-the-edge format)  GET /layout  POST /control {"mode":"ok|hang|error500|corrupt"}\n`);
  process.exit(0);
}

const num = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
};
if (!['day', 'infrared', 'auto'].includes(values.look)) throw new Error('--look must be day, infrared or auto');

const sim = await startCameraSimulator({
  port: num('port', values.port),
  host: values.host,
  start: num('start', values.start),
  rate: num('rate', values.rate),
  digits: num('digits', values.digits),
  decimals: num('decimals', values.decimals),
  pointers: num('pointers', values.pointers),
  look: values.look as 'day' | 'infrared' | 'auto',
  effects: num('effects', values.effects),
  seed: num('seed', values.seed),
  ...(values.user !== undefined && values.password !== undefined ? { user: values.user, password: values.password } : {}),
});
process.stdout.write(`camera-sim listening on ${sim.url} (composed images; GET /capture /status /truth /json /layout, POST /control)\n`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
