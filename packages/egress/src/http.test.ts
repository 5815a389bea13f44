import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboundEnvShape, outboundPolicy } from './config.js';
import { OutboundError } from './errors.js';
import { outboundRequest } from './http.js';
import { fetchSnapshot, SnapshotError } from './snapshot.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<{ url: string; port: number; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, requests };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

const allowing = (...ports: number[]) =>
  outboundPolicy([], OutboundEnvShape.OUTBOUND_ALLOWED_HOSTS.parse(ports.map((p) => `127.0.0.1:${p}`).join(',')));

async function failureOf(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

describe('outboundRequest', () => {
  it('re-checks every redirect: a camera that redirects to an internal service is refused before it is reached', async () => {
    const internal = await serve((_req, res) => res.end('secret metrics'));
    const camera = await serve((_req, res) => res.writeHead(302, { location: `${internal.url}/metrics` }).end());
    const error = await failureOf(
      outboundRequest(`${camera.url}/capture`, { policy: allowing(camera.port), timeoutMs: 2000, maxBytes: 1000, maxRedirects: 3 }),
    );
    expect(error.failure).toBe('refused');
    expect(internal.requests).toHaveLength(0);
  });

  it('follows allowed redirects, and drops the credentials when one leaves the origin', async () => {
    const other = await serve((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG));
    const camera = await serve((req, res) => {
      if (req.url === '/capture') return res.writeHead(301, { location: '/snapshot.jpg' }).end();
      res.writeHead(307, { location: `${other.url}/x.jpg` }).end();
    });
    const response = await outboundRequest(`${camera.url}/capture`, {
      policy: allowing(camera.port, other.port),
      headers: { authorization: 'Basic Y2FtOnB3' },
      timeoutMs: 2000,
      maxBytes: 1000,
      maxRedirects: 3,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(JPEG);
    expect(camera.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/capture', 'Basic Y2FtOnB3'],
      ['/snapshot.jpg', 'Basic Y2FtOnB3'],
    ]);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('stops a redirect loop, and returns a 3xx as it is when redirects are not followed', async () => {
    const loop = await serve((_req, res) => res.writeHead(302, { location: '/again' }).end());
    expect((await failureOf(outboundRequest(loop.url, { policy: allowing(loop.port), timeoutMs: 2000, maxBytes: 100, maxRedirects: 2 }))).failure).toBe('redirect');
    expect(loop.requests).toHaveLength(3);
    const once = await outboundRequest(loop.url, { policy: allowing(loop.port), timeoutMs: 2000, maxBytes: 100 });
    expect(once.status).toBe(302);
  });

  it('aborts a body that streams forever as soon as it passes the cap', async () => {
    let sent = 0;
    const endless = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const started = Date.now();
    const error = await failureOf(outboundRequest(endless.url, { policy: allowing(endless.port), timeoutMs: 10_000, maxBytes: 1024 * 1024 }));
    expect(error.failure).toBe('too-large');
    expect(Date.now() - started).toBeLessThan(3000);
    // What the server managed to send before the socket closed: the cap plus what socket buffers hold.
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a declared body over the cap without reading it', async () => {
    const big = await serve((_req, res) => res.writeHead(200, { 'content-length': String(50_000_000) }).write('x'));
    expect((await failureOf(outboundRequest(big.url, { policy: allowing(big.port), timeoutMs: 2000, maxBytes: 1000 }))).failure).toBe('too-large');
  });

  it('gives up at the deadline, also on a camera that drips its answer', async () => {
    const silent = await serve(() => {});
    const drip = await serve((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('.')), 50);
    });
    for (const server of [silent, drip]) {
      const started = Date.now();
      const error = await failureOf(outboundRequest(server.url, { policy: allowing(server.port), timeoutMs: 400, maxBytes: 1_000_000 }));
      expect(error.failure).toBe('timeout');
      expect(error.message).toBe('no answer within 400 ms');
      expect(Date.now() - started).toBeLessThan(1500);
    }
  });

  it('says "could not connect" without the socket error', async () => {
    const closed = await serve(() => {});
    const port = closed.port;
    await new Promise((r) => servers.pop()!.close(r));
    const error = await failureOf(outboundRequest(`http://127.0.0.1:${port}/`, { policy: allowing(port), timeoutMs: 2000, maxBytes: 10 }));
    expect(error.failure).toBe('unreachable');
    expect(error.message).toBe(`could not connect to 127.0.0.1:${port}`);
    expect(String(error.cause)).toMatch(/ECONNREFUSED/);
  });

  it('POSTs a body', async () => {
    let received = '';
    const hook = await serve((req, res) => {
      req.on('data', (c: Buffer) => (received += c.toString()));
      req.on('end', () => res.writeHead(202).end('{"ok":true}'));
    });
    const response = await outboundRequest(hook.url, {
      policy: allowing(hook.port),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 2000,
      maxBytes: 100,
    });
    expect([response.status, response.body.toString(), received]).toEqual([202, '{"ok":true}', '{"a":1}']);
  });
});

describe('fetchSnapshot', () => {
  const request = (url: string, port: number) => ({ url, policy: allowing(port), timeoutMs: 2000, maxBytes: 1000, basicAuth: { user: 'cam', password: 'pw' } });

  it('returns the image a camera sends, with basic auth', async () => {
    const camera = await serve((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('cam:pw').toString('base64')}`) return res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    });
    expect(await fetchSnapshot(request(`${camera.url}/capture`, camera.port))).toEqual(JPEG);
  });

  it.each([
    [(_q: IncomingMessage, s: ServerResponse) => s.writeHead(401).end(), 'the camera refused the credentials (HTTP 401)'],
    [(_q: IncomingMessage, s: ServerResponse) => s.writeHead(500).end('stack trace'), 'the camera answered HTTP 500'],
    [(_q: IncomingMessage, s: ServerResponse) => s.writeHead(200, { 'content-type': 'text/html' }).end('<html>'), 'the camera sent "text/html", not a JPEG or PNG image'],
    [(_q: IncomingMessage, s: ServerResponse) => s.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(5000)), 'the snapshot is larger than 1000 bytes'],
  ] as [Handler, string][])('says what went wrong in the camera\'s words (%#)', async (handler, message) => {
    const camera = await serve(handler);
    await expect(fetchSnapshot(request(camera.url, camera.port))).rejects.toThrow(new SnapshotError(message));
  });

  it('refuses a camera URL outside the policy without connecting', async () => {
    const metrics = await serve((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(JPEG));
    await expect(fetchSnapshot(request(`${metrics.url}/metrics`, 1))).rejects.toThrow(/^refused: 127\.0\.0\.1 is a loopback address/);
    expect(metrics.requests).toHaveLength(0);
  });
});
