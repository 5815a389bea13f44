import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { createPrismaClient, secretBoxFrom, SecretPurpose, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import sharp from 'sharp';
import type { CounterLayout } from '@metertwin/contracts';
import { composeMeter } from '@metertwin/composer';
import { decodeFrame, iou, registerFrame } from '@metertwin/vision';
import { OnboardError, takeSnapshot } from '../src/lib/onboard';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

// The real route modules, configured through the environment like `next start`, against the simulated camera.
let snapshotRoute: typeof import('../src/app/api/onboard/snapshot/route');
let previewRoute: typeof import('../src/app/api/onboard/preview/route');
let saveRoute: typeof import('../src/app/api/onboard/route');
let networksRoute: typeof import('../src/app/api/organization/device-networks/route');
let db: TestDatabase;
let prisma: PrismaClient;
let camera: CameraSimulator;
let orgId: string;
let operator: string;
let viewer: string;
let admin: string;
let internal: Server;
let internalUrl: string;
const internalRequests: IncomingMessage[] = [];
let redirector: Server;

const auth = { user: 'cam', password: 's3cret' };

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  snapshotRoute = await import('../src/app/api/onboard/snapshot/route');
  previewRoute = await import('../src/app/api/onboard/preview/route');
  saveRoute = await import('../src/app/api/onboard/route');
  networksRoute = await import('../src/app/api/organization/device-networks/route');
  prisma = createPrismaClient(db.url);
  orgId = await createOrg(prisma);
  operator = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
  viewer = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
  admin = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'admin' })).id);
  camera = await startCameraSimulator({ start: 1234.5, rate: 0, seed: 7, ...auth });
  // An internal service that would hand back an image to whoever asks, and a "camera" that
  // redirects there.
  internal = createServer((req, res) => {
    internalRequests.push(req);
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8, 0xff]));
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
  redirector = createServer((_req, res) => res.writeHead(302, { location: `${internalUrl}/metrics` }).end());
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  // The deployment names the simulated camera and the redirector: the only loopback addresses
  // onboarding may reach.
  const redirectorHost = `127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  process.env.OUTBOUND_ALLOWED_HOSTS = `${new URL(camera.url).host},${redirectorHost}`;
}, 60_000);

afterAll(async () => {
  await camera?.close();
  internal?.close();
  redirector?.close();
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

const post = (
  route: { POST: (r: Request) => Promise<Response> },
  json: unknown,
  cookie: string | null = operator,
) => route.POST(apiRequest('/api/onboard', { method: 'POST', cookie, json }));

/** The layout as the wizard sends it: the operator's boxes, no alignment marks. */
function boxesOnly(layout: CounterLayout): CounterLayout {
  const boxes = { ...layout };
  delete boxes.alignment;
  return boxes;
}

describe('onboarding from the simulated camera', () => {
  let image: string;

  it('takes a snapshot with basic auth and suggests the counter layout', async () => {
    const res = await post(snapshotRoute, { snapshotUrl: `${camera.url}/capture`, basicAuth: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      image: string;
      width: number;
      height: number;
      suggestion: {
        layout: { window: [number, number, number, number]; digits: unknown[] };
        confidence: number;
      };
    };
    expect([body.width, body.height]).toEqual([
      camera.layout.reference.width,
      camera.layout.reference.height,
    ]);
    expect(Buffer.from(body.image, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(body.suggestion.layout.digits).toHaveLength(8);
    expect(iou(body.suggestion.layout.window, camera.layout.window!)).toBeGreaterThan(0.5);
    image = body.image;
  });

  it("lights an ESP32 camera's flash for the first snapshot as ingest's pulls will, and saves it with the camera", async () => {
    const from = camera.events().length;
    const res = await post(snapshotRoute, { snapshotUrl: `${camera.url}/capture`, basicAuth: auth, flashIntensity: 90 });
    expect(res.status).toBe(200);
    expect(camera.events().slice(from).map(({ at: _at, ...event }) => event)).toEqual([
      { kind: 'led', intensity: 90 },
      { kind: 'capture', led: 90 },
      { kind: 'led', intensity: 0 },
    ]);
    expect((await post(snapshotRoute, { snapshotUrl: `${camera.url}/capture`, basicAuth: auth, flashIntensity: 256 })).status).toBe(400);

    const saved = await post(saveRoute, {
      name: 'Lit cellar',
      unit: 'm3',
      decimals: 1,
      timeZone: 'UTC',
      layout: boxesOnly(camera.layout),
      image: ((await res.json()) as { image: string }).image,
      camera: { mode: 'pull', snapshotUrl: `${camera.url}/capture`, basicAuth: auth, flashIntensity: 90 },
    });
    expect(saved.status).toBe(201);
    const { meterId } = (await saved.json()) as { meterId: string };
    expect((await prisma.device.findFirstOrThrow({ where: { meterId } })).flashIntensity).toBe(90);
  });

  it('explains a camera that refuses, a URL that is not http(s), and a viewer', async () => {
    const refused = await post(snapshotRoute, { snapshotUrl: `${camera.url}/capture` });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: 'the camera refused the credentials (HTTP 401)' });
    const file = await post(snapshotRoute, { snapshotUrl: 'file:///etc/passwd' });
    expect(file.status).toBe(400);
    expect(((await file.json()) as { error: string }).error).toMatch(/http/);
    expect((await post(snapshotRoute, { snapshotUrl: `${camera.url}/capture` }, viewer)).status).toBe(403);
    expect((await post(snapshotRoute, { image: Buffer.from('not a photo').toString('base64') })).status).toBe(
      422,
    );
  });

  it("is no proxy into the server's network: loopback, metadata, redirects and private LANs are refused", async () => {
    const refusals = [
      [
        `${internalUrl}/metrics`,
        'refused: 127.0.0.1 is a loopback address which the platform never connects to',
      ],
      [
        `http://localhost:${new URL(internalUrl).port}/`,
        'refused: localhost resolves to a loopback address which the platform never connects to',
      ],
      [
        'http://169.254.169.254/latest/meta-data/',
        'refused: 169.254.169.254 is a cloud metadata address which the platform never connects to',
      ],
      // An allowed host, but the redirect it answers with is checked again.
      [
        `http://${(redirector.address() as AddressInfo).address}:${(redirector.address() as AddressInfo).port}/capture`,
        'refused: 127.0.0.1 is a loopback address which the platform never connects to',
      ],
      [
        'http://10.9.8.7/capture',
        "refused: 10.9.8.7 is a private address outside the organization's device networks (an admin can add the camera's network under Settings)",
      ],
    ] as const;
    for (const [snapshotUrl, error] of refusals) {
      const res = await post(snapshotRoute, { snapshotUrl });
      expect([snapshotUrl, res.status, await res.json()]).toEqual([snapshotUrl, 422, { error }]);
    }
    expect(internalRequests).toHaveLength(0);

    // Saving a pull camera at a refused address is refused too, and nothing is saved.
    const before = await prisma.meter.count();
    const saved = await post(saveRoute, {
      name: 'Metrics meter',
      decimals: 3,
      layout: boxesOnly(camera.layout),
      image: Buffer.from(await takeSnapshot(prisma, orgId, `${camera.url}/capture`, auth)).toString('base64'),
      camera: { mode: 'pull', snapshotUrl: `${internalUrl}/metrics` },
    });
    expect([saved.status, await saved.json()]).toEqual([
      422,
      {
        error: 'camera.snapshotUrl: refused: 127.0.0.1 is a loopback address which the platform never connects to',
        code: 'url-forbidden-address',
        params: { field: 'snapshotUrl', host: '127.0.0.1' },
      },
    ]);
    expect(await prisma.meter.count()).toBe(before);
  });

  it('reaches a camera on a private network once an admin lists the network', async () => {
    const put = (cookie: string, networks: unknown) =>
      networksRoute.PUT(
        apiRequest('/api/organization/device-networks', { method: 'PUT', cookie, json: { networks } }),
      );
    expect((await put(operator, ['10.9.8.0/24'])).status).toBe(403);
    const loopback = await put(admin, ['10.9.8.0/24', '127.0.0.0/8']);
    expect(loopback.status).toBe(400);
    expect(((await loopback.json()) as { error: string }).error).toMatch(
      /"127\.0\.0\.0\/8" is not a private network/,
    );
    expect(await prisma.organization.findUniqueOrThrow({ where: { id: orgId } })).toMatchObject({
      deviceNetworks: [],
    });

    const saved = await put(admin, [' 10.9.8.0/24 ']);
    expect([saved.status, await saved.json()]).toEqual([200, { networks: ['10.9.8.0/24'] }]);
    expect(
      await prisma.auditLog.findFirst({ where: { orgId, action: 'organization.device-networks.set' } }),
    ).toMatchObject({ data: { before: [], after: ['10.9.8.0/24'] } });
    // Tried now (nothing answers there on a test machine, or something does): no longer refused.
    const attempt = await takeSnapshot(prisma, orgId, 'http://10.9.8.7/capture', undefined, {
      timeoutMs: 500,
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(attempt === null || !(attempt as Error).message.startsWith('refused')).toBe(true);
    expect((await put(admin, [])).status).toBe(200);
  });

  it('gives up on a camera that hangs and on a snapshot that is too large', async () => {
    camera.setMode('hang');
    await expect(
      takeSnapshot(prisma, orgId, `${camera.url}/capture`, auth, { timeoutMs: 300 }),
    ).rejects.toThrow(new OnboardError('the camera did not answer within 300 ms'));
    camera.setMode('ok');
    await expect(
      takeSnapshot(prisma, orgId, `${camera.url}/capture`, auth, { maxBytes: 1000 }),
    ).rejects.toThrow(new OnboardError('the snapshot is larger than 1000 bytes'));
  });

  it('reads the first reading with the committed digit model before saving', async () => {
    const res = await post(previewRoute, { image, layout: camera.layout, decimals: 3 });
    expect(res.status).toBe(200);
    const reading = (await res.json()) as {
      value: string;
      status: string;
      confidence: number;
      digits: unknown[];
    };
    expect(reading.digits).toHaveLength(8);
    expect(reading.value).toMatch(/^\d{5}\.\d{3}$/);
    // The camera shows 01234.500; the model reads real crops, so allow one drum off.
    const wrong = [...'01234.500'].filter((c, i) => reading.value[i] !== c).length;
    expect(wrong).toBeLessThanOrEqual(1);
    expect(['accepted', 'needs_review']).toContain(reading.status);

    const bad = await post(previewRoute, { image, layout: camera.layout, decimals: 9 });
    expect(bad.status).toBe(422);
  }, 30_000);

  it('saves meter and camera in the organization; ingest finds the pulled camera', async () => {
    const layout = boxesOnly(camera.layout);
    const res = await post(saveRoute, {
      name: 'Boiler room',
      location: 'Basement',
      group: 'Building A',
      unit: 'm3',
      decimals: 3,
      timeZone: 'Europe/Berlin',
      readingRules: { maxFlowPerHour: 5 },
      layout,
      image,
      camera: { mode: 'pull', snapshotUrl: `${camera.url}/capture`, basicAuth: auth, pullIntervalSec: 30 },
    });
    expect(res.status).toBe(201);
    const { meterId, deviceToken, alignmentMarks, note } = (await res.json()) as {
      meterId: string;
      deviceToken: string;
      alignmentMarks: number;
      note: string | null;
    };
    expect(deviceToken.length).toBeGreaterThan(20);
    expect(note).toBeNull();
    const meter = await prisma.meter.findUniqueOrThrow({
      where: { id: meterId },
      include: { devices: true },
    });
    expect(meter).toMatchObject({
      orgId,
      name: 'Boiler room',
      group: 'Building A',
      timeZone: 'Europe/Berlin',
      digits: 8,
      decimals: 3,
      layout,
      readingRules: { maxFlowPerHour: 5, allowNegative: false },
    });
    // Alignment marks cut from the snapshot: a later frame of the same camera registers to it.
    const saved = meter.layout as CounterLayout;
    expect(saved.alignment?.marks.length).toBeGreaterThanOrEqual(2);
    expect(alignmentMarks).toBe(saved.alignment!.marks.length);
    const later = await decodeFrame(await takeSnapshot(prisma, orgId, `${camera.url}/capture`, auth));
    const registration = await registerFrame(later, saved);
    expect(registration.status).toBe('aligned');
    // Without the marks the same frame is only scaled: the test above would be meaningless.
    expect((await registerFrame(later, layout)).status).toBe('no-marks');
    expect(meter.devices).toMatchObject([
      {
        snapshotUrl: `${camera.url}/capture`,
        pullIntervalSec: 30,
        basicAuthUser: 'cam',
      },
    ]);
    // The camera's password is stored sealed: no plain text in the database, opened with the key.
    const stored = meter.devices[0]!.basicAuthPassword!;
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain('s3cret');
    const box = secretBoxFrom({ SECRETS_KEY: process.env.SECRETS_KEY!, SECRETS_KEY_PREVIOUS: '' });
    expect(box.open(stored, SecretPurpose.CameraPassword)).toBe('s3cret');
    // The query apps/ingest's CameraScheduleService runs to find cameras to pull.
    const pulled = await prisma.device.findMany({
      where: { snapshotUrl: { not: null }, pullIntervalSec: { gt: 0 } },
    });
    expect(pulled.map((d) => d.meterId)).toContain(meterId);
  });

  it('takes a counter marked by its four corners: the drum boxes come from the quad, a crossed quad is refused', async () => {
    const { reference, windowQuad } = camera.layout;
    // what the editor sends in four-corner mode: the corners and the drum count, no boxes of its own
    const cornersOnly = { v: 1, reference, windowQuad, digits: Array.from({ length: 8 }, () => [0, 0, 1, 1]) };
    const preview = await post(previewRoute, { image, layout: cornersOnly, decimals: 3 });
    expect(preview.status).toBe(200);
    const reading = (await preview.json()) as { value: string; digits: { box: number[] }[] };
    expect(reading.value).toMatch(/^\d{5}\.\d{3}$/);
    reading.digits.forEach((d, i) => expect(iou(d.box as never, camera.layout.digits[i]!)).toBeGreaterThan(0.7));

    const meter = (quad: unknown) => ({
      name: 'Turned counter',
      decimals: 3,
      layout: { ...cornersOnly, windowQuad: quad },
      image,
      camera: { mode: 'push' },
    });
    const before = await prisma.meter.count();
    const [tl, tr, br, bl] = windowQuad!;
    const { width, height } = reference;
    const refused: [unknown, RegExp][] = [
      [meter([tl, br, tr, bl]), /layout.windowQuad: the window quad crosses itself/],
      [meter([tl, tr, [width + 40, br![1]], bl]), /layout.windowQuad: a corner of the window quad lies outside/],
      [meter([tl, [tl![0] + 1, tl![1]], [tl![0] + 1, tl![1] + 1], [tl![0], tl![1] + 1]]), /layout.windowQuad: the window quad is degenerate/],
      [{ ...meter(windowQuad), layout: { ...cornersOnly, digits: [] } }, /layout.digits/],
      [{ ...meter(windowQuad), layout: { ...cornersOnly, digits: Array.from({ length: 20 }, () => [0, 0, 1, 1]) } }, /layout.digits/],
      [
        { ...meter(windowQuad), layout: { ...cornersOnly, pointers: [[0, 0, 1, 1]], dials: [[width + 100, height / 2, 30]] } },
        /layout.dials.0/,
      ],
    ];
    for (const [body, message] of refused) {
      const res = await post(saveRoute, body);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
      const preview = await post(previewRoute, { image, layout: (body as { layout: unknown }).layout, decimals: 3 });
      expect(preview.status).toBe(422);
    }
    expect(await prisma.meter.count()).toBe(before);

    const res = await post(saveRoute, meter(windowQuad));
    expect(res.status).toBe(201);
    const { meterId } = (await res.json()) as { meterId: string };
    const saved = (await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).layout as CounterLayout;
    expect(saved.windowQuad).toEqual(windowQuad);
    expect(saved.digits).toEqual(camera.layout.digits);
    expect(saved.alignment?.marks.length).toBeGreaterThanOrEqual(2);
  });

  it('saves a photo without texture without alignment marks, and says so', async () => {
    const { width, height } = camera.layout.reference;
    const flat = await sharp({ create: { width, height, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    const res = await post(saveRoute, {
      name: 'Flat wall',
      decimals: 3,
      layout: camera.layout,
      image: flat.toString('base64'),
      camera: { mode: 'push' },
    });
    expect(res.status).toBe(201);
    const { meterId, alignmentMarks, note } = (await res.json()) as {
      meterId: string;
      alignmentMarks: number;
      note: string | null;
    };
    expect(alignmentMarks).toBe(0);
    expect(note).toMatch(/without alignment marks/);
    // The marks the client sent are not kept: they were not cut from this photo.
    const meter = await prisma.meter.findUniqueOrThrow({ where: { id: meterId } });
    expect(meter.layout).toEqual(boxesOnly(camera.layout));
  });

  it('refuses a photo that is not the one the layout was drawn on, and saves nothing', async () => {
    const before = await prisma.meter.count();
    const small = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    const meter = { name: 'x', decimals: 3, layout: boxesOnly(camera.layout), camera: { mode: 'push' } };
    const wrongSize = await post(saveRoute, { ...meter, image: small.toString('base64') });
    expect(wrongSize.status).toBe(422);
    expect(((await wrongSize.json()) as { error: string }).error).toMatch(
      /^the photo is 320×240 but the layout was drawn on \d+×\d+$/,
    );
    const notPhoto = await post(saveRoute, {
      ...meter,
      image: Buffer.from('not a photo').toString('base64'),
    });
    expect(notPhoto.status).toBe(422);
    expect(((await notPhoto.json()) as { error: string }).error).toMatch(/^not a usable photo/);
    const missing = await post(saveRoute, meter);
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: string }).error).toMatch(/^image: /);
    expect(await prisma.meter.count()).toBe(before);
  });

  it('refuses a bad meter with every problem, and saves nothing', async () => {
    const before = await prisma.meter.count();
    const res = await post(saveRoute, {
      name: '',
      decimals: 3,
      timeZone: 'Mars/Olympus',
      layout: camera.layout,
      camera: { mode: 'pull', snapshotUrl: 'ftp://camera/x' },
    });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(/name: the meter needs a name/);
    expect(error).toMatch(/timeZone: not an IANA time zone/);
    expect(error).toMatch(/camera.snapshotUrl: the camera URL must be an http/);
    expect(await prisma.meter.count()).toBe(before);
    expect((await post(saveRoute, { name: 'x' }, viewer)).status).toBe(403);
  });

  it('offers the corners of a turned counter, previews its rectified strip and dials, and saves the dials', async () => {
    // COMPOSED: 5 drums and 4 pointer dials, the camera turned 35° and tilted
    const turned = await composeMeter({
      value: '01234.5678', digits: 5, decimals: 0, pointers: 4, seed: 5,
      mount: { rotationDeg: 35, shift: [0, 0], tilt: [0.08, 0.04] },
    });
    const snap = await post(snapshotRoute, { image: turned.jpeg.toString('base64') });
    expect(snap.status).toBe(200);
    const { suggestion } = (await snap.json()) as {
      suggestion: { layout: CounterLayout; confidence: number; angleDeg: number };
    };
    expect(suggestion.angleDeg).toBeGreaterThan(30);
    expect(suggestion.confidence).toBeGreaterThan(0.3);
    expect(suggestion.layout.digits).toHaveLength(5);
    // the corners in reading order, each within a few pixels of where the composer put them
    suggestion.layout.windowQuad!.forEach(([x, y], i) => {
      const [tx, ty] = turned.layout.windowQuad![i]!;
      expect(Math.hypot(x - tx, y - ty), `corner ${i}`).toBeLessThan(8);
    });

    // what the editor sends: corners, the drum count, the dials and their bounds
    const { reference, windowQuad, dials } = turned.layout;
    const layout = {
      v: 1,
      reference,
      windowQuad,
      digits: Array.from({ length: 5 }, () => [0, 0, 1, 1]),
      dials,
      pointers: dials!.map(([cx, cy, r]) => [cx - r, cy - r, 2 * r, 2 * r]),
    };
    const image = turned.jpeg.toString('base64');
    const res = await post(previewRoute, { image, layout, decimals: 0 });
    expect(res.status).toBe(200);
    const reading = (await res.json()) as {
      value: string;
      dials: { value: number; confidence: number }[];
      strip: { image: string; width: number; height: number; cells: number[][] };
    };
    expect(reading.value).toBe('01234.5678');
    // each dial where the composer's pointer stands (0–10, around the dial)
    const pointers = turned.truth.wheels.slice(5).map((w) => w.label);
    expect(reading.dials).toHaveLength(4);
    reading.dials.forEach((d, i) => {
      const off = Math.abs(d.value - pointers[i]!) % 10;
      expect(Math.min(off, 10 - off), `dial ${i}`).toBeLessThan(0.6);
    });
    const png = Buffer.from(reading.strip.image.replace(/^data:image\/png;base64,/, ''), 'base64');
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', reading.strip.width, reading.strip.height]);
    // a level strip: wider than high, with the 5 drum cells side by side inside it
    expect(reading.strip.width).toBeGreaterThan(2.5 * reading.strip.height);
    expect(reading.strip.cells).toHaveLength(5);
    reading.strip.cells.slice(1).forEach((c, i) => expect(c[0]).toBeGreaterThanOrEqual(reading.strip.cells[i]![0]! + reading.strip.cells[i]![2]!));

    const saved = await post(saveRoute, { name: 'Turned with dials', decimals: 0, layout, image, camera: { mode: 'push' } });
    expect(saved.status).toBe(201);
    const { meterId } = (await saved.json()) as { meterId: string };
    const meter = await prisma.meter.findUniqueOrThrow({ where: { id: meterId } });
    const stored = meter.layout as CounterLayout;
    expect(stored.dials).toEqual(dials);
    expect(stored.pointers).toHaveLength(4);
    expect(stored.windowQuad).toEqual(windowQuad);
    expect(meter.digits).toBe(5);
  }, 60_000);
});
