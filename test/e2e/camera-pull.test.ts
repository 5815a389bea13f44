import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSimulator, type CameraSimulator } from '@metertwin/camera-sim';
import { createMeterWithCamera } from '@metertwin/db';
import { waitFor } from '@metertwin/testing';
import { startPlatform, type Platform } from './platform.js';

describe('scheduled pull from an ESP32-CAM-like camera', () => {
  let platform: Platform;
  let camera: CameraSimulator;
  let orgId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    // A meter at rest (rate 0), so every frame shows the same known value.
    camera = await startCameraSimulator({ start: 4821.337, rate: 0, digits: 5, decimals: 3, seed: 3, user: 'cam', password: 'secret' });
    orgId = (await platform.prisma.organization.create({ data: { name: 'Pull Co', slug: 'pull-co' } })).id;
  });

  afterAll(async () => {
    await camera?.close();
    await platform?.stop();
  });

  it('produces readings from the camera without any upload', async () => {
    const { meterId, deviceId } = await createMeterWithCamera(
      platform.prisma,
      { orgId, name: 'Pulled meter', digits: 8, decimals: 3, layout: camera.layout },
      { snapshotUrl: `${camera.url}/capture`, pullIntervalSec: 1, basicAuth: { user: 'cam', password: 'secret' } },
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

  it('records a camera that times out or answers wrongly, and keeps the captures it had', async () => {
    const { meterId, deviceId } = await createMeterWithCamera(
      platform.prisma,
      { orgId, name: 'Flaky camera meter', digits: 8, decimals: 3, layout: camera.layout },
      { snapshotUrl: `${camera.url}/capture?fault=hang`, pullIntervalSec: 1, pullTimeoutMs: 300, basicAuth: { user: 'cam', password: 'secret' } },
    );
    const timedOut = await waitFor(
      async () => (await platform.prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).lastError,
      { timeoutMs: 20_000, what: 'the timeout to be recorded' },
    );
    expect(timedOut).toBe('camera did not answer within 300 ms');

    await platform.prisma.device.update({ where: { id: deviceId }, data: { snapshotUrl: `${camera.url}/capture`, basicAuthPassword: 'wrong' } });
    await waitFor(
      async () => (await platform.prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).lastError === 'camera answered HTTP 401',
      { timeoutMs: 20_000, what: 'the 401 to be recorded' },
    );
    expect(await platform.prisma.capture.count({ where: { meterId } })).toBe(0);
    // The healthy camera's meter kept its readings through all of this.
    expect(await platform.prisma.reading.count({ where: { meter: { name: 'Pulled meter' } } })).toBeGreaterThan(0);
  });
});
