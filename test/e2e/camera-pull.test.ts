import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { QueueName } from '@metertwin/contracts';
import { createMeterWithCamera, secretBoxFrom, type SecretBox } from '@metertwin/db';
import { QueueService } from '@metertwin/service-kit';
import { waitFor } from '@metertwin/testing';
import { startPlatform, type Platform } from './platform.js';

describe('scheduled pull from an ESP32-CAM-like camera', () => {
  let platform: Platform;
  let camera: CameraSimulator;
  /** ESP32 CameraWebServers of their own, so that their LED logs hold only the flash tests' pulls. */
  let flashCamera: CameraSimulator;
  let ledlessCamera: CameraSimulator;
  let orgId: string;
  let redirector: Server;
  let redirectorUrl: string;
  let internalPort: number;
  let secrets: SecretBox;

  beforeAll(async () => {
    // A meter at rest (rate 0), so every frame shows the same known value.
    camera = await startCameraSimulator({ start: 4821.337, rate: 0, digits: 5, decimals: 3, seed: 3, user: 'cam', password: 'secret' });
    flashCamera = await startCameraSimulator({ start: 4821.337, rate: 0, seed: 3, user: 'cam', password: 'secret' });
    ledlessCamera = await startCameraSimulator({ start: 4821.337, rate: 0, seed: 3, ledControl: false });
    // A "camera" that sends the pull on to the platform's own metrics endpoint.
    redirector = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${internalPort}/metrics` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    // Loopback is refused unless named: the deployment names the simulated camera and the redirector only.
    const hosts = [camera.url, flashCamera.url, ledlessCamera.url, redirectorUrl].map((url) => new URL(url).host);
    platform = await startPlatform({ OUTBOUND_ALLOWED_HOSTS: hosts.join(',') });
    internalPort = Number(new URL(platform.ingestUrl).port);
    secrets = secretBoxFrom({ SECRETS_KEY: platform.env.SECRETS_KEY!, SECRETS_KEY_PREVIOUS: '' });
    orgId = (await platform.prisma.organization.create({ data: { name: 'Pull Co', slug: 'pull-co' } })).id;
  });

  afterAll(async () => {
    await camera?.close();
    await flashCamera?.close();
    await ledlessCamera?.close();
    redirector?.close();
    await platform?.stop();
  });

  it('produces readings from the camera without any upload', async () => {
    const { meterId, deviceId } = await createMeterWithCamera(
      platform.prisma,
      { orgId, name: 'Pulled meter', digits: 8, decimals: 3, layout: camera.layout },
      { snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 1, basicAuth: { user: 'cam', password: 'secret' } },
      secrets,
    );
    const reading = await waitFor(() => platform.prisma.reading.findFirst({ where: { meterId } }), {
      timeoutMs: 30_000,
      what: 'a reading from the pulled camera',
    });
    expect(reading.value).toBe('04821.337');
    const capture = await platform.prisma.capture.findUniqueOrThrow({ where: { id: reading.captureId } });
    expect(capture).toMatchObject({ source: 'pull', deviceId });
    const device = await platform.prisma.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(device.lastSeenAt).not.toBeNull();
    expect(device.lastError).toBeNull();
  });

  it("stores an AI-on-the-edge-device camera's own reading next to each pulled photo, and the photo without it when it has none", async () => {
    const { meterId, deviceId } = await createMeterWithCamera(
      platform.prisma,
      { orgId, name: 'Edge firmware meter', digits: 8, decimals: 3, layout: camera.layout },
      { snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 1, basicAuth: { user: 'cam', password: 'secret' } },
      secrets,
    );
    await platform.prisma.device.update({ where: { id: deviceId }, data: { readingUrl: `${camera.url}/json` } });
    const reading = await waitFor(() => platform.prisma.reading.findFirst({ where: { meterId } }), { timeoutMs: 30_000, what: 'a reading' });
    const capture = await platform.prisma.capture.findUniqueOrThrow({ where: { id: reading.captureId } });
    expect(capture.deviceReading).toMatchObject({ firmware: 'ai-on-the-edge', number: 'main', value: '04821.337', raw: '04821.337', error: null });
    expect(reading.value).toBe('04821.337');

    // A firmware that cannot answer costs the photo nothing: the reason is kept with it.
    await platform.prisma.device.update({ where: { id: deviceId }, data: { readingUrl: `${camera.url}/no-such-endpoint` } });
    const since = new Date();
    // The second photo after the change was surely pulled with it (a pull in flight may have had the old URL).
    const later = await waitFor(
      async () => {
        const found = await platform.prisma.capture.findMany({ where: { meterId, receivedAt: { gt: since } }, orderBy: { receivedAt: 'asc' } });
        return found.length >= 2 ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'two more photos' },
    );
    expect(later.at(-1)!.deviceReading).toEqual({ firmware: 'ai-on-the-edge', error: 'the camera answered HTTP 404' });
    // Its pulls stop: the camera's time belongs to the next test's meters.
    await platform.prisma.meter.delete({ where: { id: meterId } });
  });

  it("lights an ESP32 CameraWebServer's LED for each pulled photo and turns it off after, also when the photo fails", async () => {
    const { meterId, deviceId } = await createMeterWithCamera(
      platform.prisma,
      { orgId, name: 'Flashed meter', digits: 8, decimals: 3, layout: flashCamera.layout },
      { snapshotUrl: `${flashCamera.url}/capture`, pullIntervalSec: 1, flashIntensity: 150, basicAuth: { user: 'cam', password: 'secret' } },
      secrets,
    );
    const capture = await waitFor(() => platform.prisma.capture.findFirst({ where: { meterId } }), { timeoutMs: 30_000, what: 'a flashed photo' });
    expect(capture.source).toBe('pull');
    const withoutTimes = () => flashCamera.events().map(({ at: _at, ...event }) => event);
    expect(withoutTimes().slice(0, 3)).toEqual([
      { kind: 'led', intensity: 150 },
      { kind: 'capture', led: 150 },
      { kind: 'led', intensity: 0 },
    ]);
    expect((await platform.prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).lastError).toBeNull();

    // The camera fails its photo: the LED still goes off, and the failure is what its operators see.
    await platform.prisma.meter.delete({ where: { id: meterId } });
    const failing = await createMeterWithCamera(
      platform.prisma,
      { orgId, name: 'Flashed failing meter', digits: 8, decimals: 3, layout: flashCamera.layout },
      { snapshotUrl: `${flashCamera.url}/capture?fault=error500`, pullIntervalSec: 1, flashIntensity: 90, basicAuth: { user: 'cam', password: 'secret' } },
      secrets,
    );
    const lastError = await waitFor(
      async () => (await platform.prisma.device.findUniqueOrThrow({ where: { id: failing.deviceId } })).lastError,
      { timeoutMs: 20_000, what: 'the failed photo to be recorded' },
    );
    expect(lastError).toBe('the camera answered HTTP 500');
    const firstFailing = withoutTimes().findIndex((event) => event.kind === 'led' && event.intensity === 90);
    await waitFor(async () => withoutTimes().length >= firstFailing + 3, { timeoutMs: 5_000, what: 'the LED to be switched off' });
    expect(withoutTimes().slice(firstFailing, firstFailing + 3)).toEqual([
      { kind: 'led', intensity: 90 },
      { kind: 'capture', led: 90 },
      { kind: 'led', intensity: 0 },
    ]);
    expect(await platform.prisma.capture.count({ where: { meterId: failing.meterId } })).toBe(0);
    await platform.prisma.meter.delete({ where: { id: failing.meterId } });
  });

  it('stores the photo of a camera without LED control and says why its flash did not light', async () => {
    const { meterId, deviceId } = await createMeterWithCamera(
      platform.prisma,
      { orgId, name: 'Ledless meter', digits: 8, decimals: 3, layout: ledlessCamera.layout },
      { snapshotUrl: `${ledlessCamera.url}/capture`, pullIntervalSec: 1, flashIntensity: 200 },
    );
    await waitFor(() => platform.prisma.capture.findFirst({ where: { meterId } }), { timeoutMs: 30_000, what: 'the photo taken without a flash' });
    const device = await waitFor(
      async () => {
        const found = await platform.prisma.device.findUniqueOrThrow({ where: { id: deviceId } });
        return found.lastSeenAt ? found : undefined;
      },
      { timeoutMs: 10_000, what: 'the contact to be recorded' },
    );
    expect(device.lastError).toBe('the camera answered HTTP 404 to its flash control (/control)');
    expect(ledlessCamera.events().map((event) => event.kind)).not.toContain('led');
    await platform.prisma.meter.delete({ where: { id: meterId } });
  });

  it('records why an MQTT camera could not be asked for a photo by an ingest without a broker', async () => {
    const { meterId, deviceId } = await createMeterWithCamera(platform.prisma, { orgId, name: 'MQTT camera, no broker', digits: 8, decimals: 3 });
    await platform.prisma.device.update({ where: { id: deviceId }, data: { mqttUsername: `device-${deviceId}` } });
    await platform.apps.ingest.get(QueueService).add(QueueName.CameraPull, { v: 1, meterId, deviceId }, { jobId: `${deviceId}-now-1`, attempts: 1 });
    const lastError = await waitFor(
      async () => (await platform.prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).lastError,
      { timeoutMs: 10_000, what: 'the failed command to be recorded' },
    );
    expect(lastError).toBe('could not ask the camera for a photo over MQTT: MQTT is off on this ingest (MQTT_URL unset): the camera cannot be asked for a photo');
  });

  it('records a camera that times out or answers wrongly, and keeps the captures it had', async () => {
    const { meterId, deviceId } = await createMeterWithCamera(
      platform.prisma,
      { orgId, name: 'Flaky camera meter', digits: 8, decimals: 3, layout: camera.layout },
      { snapshotUrl: `${camera.url}/capture?fault=hang`, pullIntervalSec: 1, pullTimeoutMs: 300, basicAuth: { user: 'cam', password: 'secret' } },
      secrets,
    );
    const timedOut = await waitFor(
      async () => (await platform.prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).lastError,
      { timeoutMs: 20_000, what: 'the timeout to be recorded' },
    );
    expect(timedOut).toBe('the camera did not answer within 300 ms');

    await platform.prisma.device.update({ where: { id: deviceId }, data: { snapshotUrl: `${camera.url}/capture`, basicAuthPassword: 'wrong' } });
    await waitFor(
      async () => (await platform.prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).lastError === 'the camera refused the credentials (HTTP 401)',
      { timeoutMs: 20_000, what: 'the 401 to be recorded' },
    );
    expect(await platform.prisma.capture.count({ where: { meterId } })).toBe(0);
    // The healthy camera's meter kept its readings through all of this.
    expect(await platform.prisma.reading.count({ where: { meter: { name: 'Pulled meter' } } })).toBeGreaterThan(0);
  });

  it('never reaches the server itself: not directly, not through a redirect, and says so without internal detail', async () => {
    const pulls = [
      [`http://127.0.0.1:${internalPort}/metrics`, 'refused: 127.0.0.1 is a loopback address which the platform never connects to'],
      ['http://169.254.169.254/latest/meta-data/', 'refused: 169.254.169.254 is a cloud metadata address which the platform never connects to'],
      [`${redirectorUrl}/capture`, 'refused: 127.0.0.1 is a loopback address which the platform never connects to'],
      ['http://192.168.77.5/capture', "refused: 192.168.77.5 is a private address outside the organization's device networks (an admin can add the camera's network under Settings)"],
    ] as const;
    const devices: string[] = [];
    for (const [snapshotUrl] of pulls) {
      const { deviceId } = await createMeterWithCamera(
        platform.prisma,
        { orgId, name: `Refused ${snapshotUrl}`, digits: 8, decimals: 3, layout: camera.layout },
        { snapshotUrl, pullIntervalSec: 1, pullTimeoutMs: 2000 },
      );
      devices.push(deviceId);
    }
    for (const [i, [, expected]] of pulls.entries()) {
      const lastError = await waitFor(
        async () => (await platform.prisma.device.findUniqueOrThrow({ where: { id: devices[i]! } })).lastError,
        { timeoutMs: 20_000, what: `the refusal of ${pulls[i]![0]}` },
      );
      expect(lastError).toBe(expected);
    }
    // Once the organization lists the LAN, the private camera is tried (what answers there, if
    // anything, depends on the machine's network: only the refusal must be gone).
    await platform.prisma.organization.update({ where: { id: orgId }, data: { deviceNetworks: ['192.168.77.0/24'] } });
    await waitFor(
      async () => {
        const error = (await platform.prisma.device.findUniqueOrThrow({ where: { id: devices[3]! } })).lastError;
        return error !== null && !error.startsWith('refused');
      },
      { timeoutMs: 20_000, what: 'the private camera to be tried' },
    );
  });
});
