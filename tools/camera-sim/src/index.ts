import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { CounterLayout } from '@metertwin/contracts';
import { digitMeters } from '@metertwin/sample-data';
import { composeMeter, randomMount, type Mount } from '@metertwin/composer';

export type CameraMode = 'ok' | 'hang' | 'error500' | 'corrupt';
export const CAMERA_MODES: readonly CameraMode[] = ['ok', 'hang', 'error500', 'corrupt'];

export interface CameraSimOptions {
  /** TCP port (default 0: any free port). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Reading at start-up, in m³ (default 1234.5). */
  start?: number;
  /** Flow in litres per minute (default 2.5). The reading advances with the wall clock. */
  rate?: number;
  /** Black integer drums (default 5). */
  digits?: number;
  /** Red decimal drums (default 3: the last one counts litres). */
  decimals?: number;
  /** Red pointer dials (default 0). */
  pointers?: number;
  /** `day`, `infrared`, or `auto` (infrared from 20:00 to 06:00 local time). Default `day`. */
  look?: 'day' | 'infrared' | 'auto';
  /** Camera effect strength 0–1 (default 0.25). */
  effects?: number;
  /** Fixes the camera mount and the crop look; frames still differ in noise and crop choice. */
  seed?: number;
  /** The camera's pose, e.g. a counter turned 35° and tilted (default: a small random one from the seed). */
  mount?: Mount;
  /** Basic auth: both set ⇒ every endpoint needs them. */
  user?: string;
  password?: string;
  /** Clock in ms (tests inject one). Default Date.now. */
  now?: () => number;
  /** `false`: a firmware without the CameraWebServer's LED control (`/control?var=…` answers 404). Default true. */
  ledControl?: boolean;
}

/** What the camera saw, in order: LED settings through /control and the LED's intensity at each capture. */
export type CameraEvent = { kind: 'led'; intensity: number; at: string } | { kind: 'capture'; led: number; at: string };

export interface CameraSimulator {
  url: string;
  port: number;
  /** The CounterLayout of this camera's image (also at GET /layout). */
  layout: CounterLayout;
  close(): Promise<void>;
  setMode(mode: CameraMode): void;
  mode(): CameraMode;
  /** The exact reading now, in m³. */
  trueValue(): number;
  /** The LED's intensity now (0: off), as set by `GET /control?var=led_intensity&val=N`. */
  ledIntensity(): number;
  /** Every LED setting and capture request so far, in order. */
  events(): readonly CameraEvent[];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readBody(req: IncomingMessage, limit = 4096): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a fake ESP32-CAM serving composed meter images (labeled COMPOSED) from real digit crops. */
export async function startCameraSimulator(options: CameraSimOptions = {}): Promise<CameraSimulator> {
  const now = options.now ?? Date.now;
  const start = options.start ?? 1234.5;
  const rate = options.rate ?? 2.5;
  const digits = options.digits ?? 5;
  const decimals = options.decimals ?? 3;
  const pointers = options.pointers ?? 0;
  const effects = options.effects ?? 0.25;
  const seed = options.seed ?? 1;
  const lookOption = options.look ?? 'day';
  const meters = digitMeters();
  const meter = meters[Math.abs(seed) % meters.length]!;
  const mount: Mount = options.mount ?? randomMount(seed, effects);
  const startedAt = now();
  const auth = options.user !== undefined && options.password !== undefined ? { user: options.user, password: options.password } : undefined;

  let mode: CameraMode = 'ok';
  let captures = 0;
  let lastCapture: { at: string; value: number; display: string } | undefined;
  let led = 0;
  const events: CameraEvent[] = [];
  const ledControl = options.ledControl ?? true;
  let queue: Promise<unknown> = Promise.resolve();

  const trueValue = () => start + ((now() - startedAt) / 60_000) * (rate / 1000);
  const lookNow = (): 'day' | 'infrared' => {
    if (lookOption !== 'auto') return lookOption;
    const h = new Date(now()).getHours();
    return h >= 20 || h < 6 ? 'infrared' : 'day';
  };
  const compose = (value: number, frameSeed: number) =>
    composeMeter({ value, digits, decimals, pointers, seed: frameSeed, look: lookNow(), effects, mount, meter });

  const first = await compose(start, seed);
  const layout = first.layout;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://camera');
    if (auth) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
      if (!safeEqual(given, `${auth.user}:${auth.password}`)) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="camera-sim", charset="UTF-8"', 'content-type': 'text/plain' });
        res.end('unauthorized\n');
        return;
      }
    }
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/capture' || path === '/capture.jpg')) {
      events.push({ kind: 'capture', led, at: new Date(now()).toISOString() });
      const fault = url.searchParams.get('fault');
      const effective = fault && (CAMERA_MODES as readonly string[]).includes(fault) ? (fault as CameraMode) : mode;
      if (effective === 'hang') return; // accept and never answer (close() destroys the socket)
      if (effective === 'error500') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('camera capture failed\n');
        return;
      }
      const value = trueValue();
      captures += 1;
      const frameSeed = (seed * 1_000_003 + captures) >>> 0;
      const job = queue.then(() => compose(value, frameSeed));
      queue = job.catch(() => undefined);
      const { jpeg, truth } = await job;
      lastCapture = { at: new Date(now()).toISOString(), value, display: truth.display };
      let body = jpeg;
      if (effective === 'corrupt') {
        body = Buffer.from(jpeg.subarray(0, Math.floor(jpeg.length / 3)));
        body.fill(0x55, 20, 300);
      }
      res.writeHead(200, {
        'content-type': 'image/jpeg',
        'content-length': body.length,
        'cache-control': 'no-store',
        'x-composed': 'true',
        'x-true-value': value.toFixed(6),
        'x-true-display': truth.display,
      });
      res.end(body);
      return;
    }
    if (req.method === 'GET' && path === '/status') {
      json(res, 200, {
        device: 'metertwin-camera-sim',
        composed: true,
        mode,
        uptimeSeconds: Math.round((now() - startedAt) / 1000),
        captures,
        value: trueValue(),
        ratePerMinuteLitres: rate,
        digits,
        decimals,
        pointers,
        look: lookNow(),
        ledIntensity: led,
        meter,
        resolution: `${layout.reference.width}x${layout.reference.height}`,
        lastCapture: lastCapture ?? null,
      });
      return;
    }
    if (req.method === 'GET' && path === '/truth') {
      const value = trueValue();
      json(res, 200, { composed: true, value, unit: 'm3', at: new Date(now()).toISOString(), lastCapture: lastCapture ?? null });
      return;
    }
    if (req.method === 'GET' && path === '/json') {
      // AI-on-the-edge-device's own reading of its last photo, in that firmware's /json format.
      const reading = lastCapture?.display ?? '';
      json(res, 200, {
        main: { value: reading, raw: reading, pre: reading, error: lastCapture ? 'no error' : 'no photo yet', rate: '0.000000', timestamp: lastCapture?.at ?? '' },
      });
      return;
    }
    if (req.method === 'GET' && path === '/layout') {
      json(res, 200, layout);
      return;
    }
    if (path === '/control' && req.method === 'GET' && url.searchParams.has('var')) return control(url, res);
    if (path === '/control') {
      if (req.method === 'GET') return json(res, 200, { mode });
      if (req.method === 'POST') {
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return json(res, 400, { error: 'expected JSON like {"mode":"ok"}' });
        }
        const next = (body as { mode?: unknown } | null)?.mode;
        if (typeof next !== 'string' || !(CAMERA_MODES as readonly string[]).includes(next)) {
          return json(res, 400, { error: `mode must be one of ${CAMERA_MODES.join(', ')}` });
        }
        mode = next as CameraMode;
        return json(res, 200, { mode });
      }
    }
    json(res, 404, { error: 'not found', endpoints: ['GET /capture', 'GET /status', 'GET /truth', 'GET /json', 'GET /layout', 'GET /control?var=led_intensity&val=N', 'POST /control'] });
  }

  /** The stock CameraWebServer's cmd_handler for its LED: 200 with an empty body, 500 for a variable it does not know. */
  function control(url: URL, res: ServerResponse): void {
    const variable = url.searchParams.get('var');
    const value = Number(url.searchParams.get('val'));
    if (!ledControl) return json(res, 404, { error: 'not found' });
    if (variable !== 'led_intensity' || !Number.isInteger(value)) {
      res.writeHead(500).end();
      return;
    }
    led = Math.max(0, Math.min(255, value));
    events.push({ kind: 'led', intensity: led, at: new Date(now()).toISOString() });
    res.writeHead(200, { 'access-control-allow-origin': '*' }).end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    port: address.port,
    layout,
    mode: () => mode,
    setMode(next) {
      if (!CAMERA_MODES.includes(next)) throw new Error(`unknown mode ${String(next)}`);
      mode = next;
    },
    trueValue,
    ledIntensity: () => led,
    events: () => [...events],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
