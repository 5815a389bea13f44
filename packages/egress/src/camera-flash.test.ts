import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { flashControlUrl, setCameraFlash, withCameraFlash } from './camera-flash.js';
import { OutboundEnvShape, outboundPolicy } from './config.js';

const servers: Server[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; port: number; requests: IncomingMessage[] }> {
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

const allowing = (port: number) => outboundPolicy([], OutboundEnvShape.OUTBOUND_ALLOWED_HOSTS.parse(`127.0.0.1:${port}`));

describe('setCameraFlash', () => {
  it('derives /control on the snapshot URL\'s origin', () => {
    expect(flashControlUrl('http://192.168.1.40/capture?x=1', 200)).toBe('http://192.168.1.40/control?var=led_intensity&val=200');
    expect(flashControlUrl('http://cam.local:8080/snap/capture.jpg', 0)).toBe('http://cam.local:8080/control?var=led_intensity&val=0');
  });

  it('sends the intensity with the camera\'s credentials and answers null when the camera takes it', async () => {
    const camera = await serve((_req, res) => res.writeHead(200).end());
    const request = { snapshotUrl: `${camera.url}/capture`, intensity: 128, policy: allowing(camera.port), timeoutMs: 1000, basicAuth: { user: 'cam', password: 'pw' } };
    expect(await setCameraFlash(request)).toBeNull();
    expect(camera.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['GET', '/control?var=led_intensity&val=128', `Basic ${Buffer.from('cam:pw').toString('base64')}`],
    ]);
  });

  it('says why a camera did not take it, without throwing', async () => {
    const without = await serve((_req, res) => res.writeHead(404).end('not found'));
    expect(await setCameraFlash({ snapshotUrl: `${without.url}/capture`, intensity: 10, policy: allowing(without.port), timeoutMs: 1000 })).toBe(
      'the camera answered HTTP 404 to its flash control (/control)',
    );
    const hanging = await serve(() => undefined);
    expect(await setCameraFlash({ snapshotUrl: `${hanging.url}/capture`, intensity: 10, policy: allowing(hanging.port), timeoutMs: 200 })).toBe(
      "the camera's flash control (/control) did not answer within 200 ms",
    );
    const outside = await serve((_req, res) => res.writeHead(200).end());
    expect(await setCameraFlash({ snapshotUrl: `${outside.url}/capture`, intensity: 10, policy: allowing(1), timeoutMs: 1000 })).toMatch(
      /^flash control \(\/control\): refused: 127\.0\.0\.1 is a loopback address/,
    );
    expect(outside.requests).toHaveLength(0);
  });
});

describe('withCameraFlash', () => {
  it('lights the LED for the photo and turns it off after, also when the photo fails', async () => {
    const camera = await serve((_req, res) => res.writeHead(200).end());
    const flash = { snapshotUrl: `${camera.url}/capture`, intensity: 60, policy: allowing(camera.port), timeoutMs: 1000 };
    const controls = () => camera.requests.map((r) => new URL(r.url!, 'http://camera').searchParams.get('val'));
    expect(await withCameraFlash(flash, async () => (controls().length === 1 ? 'lit' : 'dark'))).toEqual({ result: 'lit', flashError: null });
    expect(controls()).toEqual(['60', '0']);
    await expect(withCameraFlash(flash, () => Promise.reject(new Error('no frame')))).rejects.toThrow('no frame');
    expect(controls()).toEqual(['60', '0', '60', '0']);
  });

  it('gives the photo of a camera that does not take the flash, with why, and tells each failure', async () => {
    const camera = await serve((_req, res) => res.writeHead(404).end());
    const told: [string, number][] = [];
    const taken = await withCameraFlash(
      { snapshotUrl: `${camera.url}/capture`, intensity: 60, policy: allowing(camera.port), timeoutMs: 1000 },
      async () => 'photo',
      (error, intensity) => told.push([error, intensity]),
    );
    expect(taken).toEqual({ result: 'photo', flashError: 'the camera answered HTTP 404 to its flash control (/control)' });
    expect(told.map(([, intensity]) => intensity)).toEqual([60, 0]);
  });
});
