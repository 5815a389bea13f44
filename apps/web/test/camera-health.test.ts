import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { meterCameraState, type CameraState, type CameraSummary } from '../src/lib/camera-health';
import { listFleetPage, parseFleetQuery } from '../src/lib/fleet';
import { createOrg } from './fixtures';

let db: TestDatabase;
let prisma: PrismaClient;

const now = new Date('2026-11-24T14:30:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

/** Camera situations (a meter each), with the health both pages must show for them. */
const SITUATIONS: { name: string; health: CameraSummary['health']; devices: Record<string, unknown>[] }[] = [
  { name: 'no camera', health: 'none', devices: [] },
  { name: 'fresh frame', health: 'online', devices: [{ lastSeenAt: minutesAgo(2) }] },
  { name: 'three intervals without a frame', health: 'stale', devices: [{ lastSeenAt: minutesAgo(4) }] },
  { name: 'never delivered', health: 'stale', devices: [{ lastSeenAt: null }] },
  {
    name: 'pushing, 50 min',
    health: 'online',
    devices: [{ pullIntervalSec: null, lastSeenAt: minutesAgo(50) }],
  },
  {
    name: 'pushing, 70 min',
    health: 'stale',
    devices: [{ pullIntervalSec: null, lastSeenAt: minutesAgo(70) }],
  },
  {
    name: 'error, then a frame',
    health: 'online',
    devices: [{ lastSeenAt: minutesAgo(1), lastError: 'old', lastErrorAt: minutesAgo(10) }],
  },
  {
    name: 'error after the last frame',
    health: 'failing',
    devices: [{ lastSeenAt: minutesAgo(10), lastError: 'HTTP 401', lastErrorAt: minutesAgo(1) }],
  },
  {
    name: 'error, never a frame',
    health: 'failing',
    devices: [{ lastSeenAt: null, lastError: 'refused', lastErrorAt: minutesAgo(1) }],
  },
  {
    name: 'one stale, two failing',
    health: 'failing',
    devices: [
      { lastSeenAt: minutesAgo(30) },
      { lastSeenAt: minutesAgo(10), lastError: 'older', lastErrorAt: minutesAgo(5) },
      { lastSeenAt: minutesAgo(10), lastError: 'newest', lastErrorAt: minutesAgo(2) },
    ],
  },
  {
    name: 'one stale of two',
    health: 'stale',
    devices: [{ lastSeenAt: minutesAgo(1) }, { lastSeenAt: minutesAgo(30) }],
  },
];

/**
 * The meter page's state in the fleet tile's terms: what both pages must agree on (a failing camera's
 * page names the error, not when the meter last had a frame, so that is compared only otherwise).
 */
function fromPage(state: CameraState): Partial<CameraSummary> {
  switch (state.state) {
    case 'none':
      return { health: 'none', devices: 0, lastSeenAt: null, error: null };
    case 'error':
      return { health: 'failing', devices: state.devices, error: state.message };
    default:
      return {
        health: state.state === 'ok' ? 'online' : 'stale',
        devices: state.devices,
        lastSeenAt: state.lastSeenAt,
        error: null,
      };
  }
}

function fromTile(camera: CameraSummary): Partial<CameraSummary> {
  return camera.health === 'failing'
    ? { health: camera.health, devices: camera.devices, error: camera.error }
    : camera;
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe('camera health: the fleet list and the meter page', () => {
  it('agree on every camera situation', async () => {
    const orgId = await createOrg(prisma);
    for (const situation of SITUATIONS) {
      const meter = await prisma.meter.create({ data: { orgId, name: situation.name, digits: 5 } });
      for (const [i, device] of situation.devices.entries()) {
        await prisma.device.create({
          data: { meterId: meter.id, name: `c${i}`, pullIntervalSec: 60, ...device },
        });
      }
    }
    const fleet = await listFleetPage(prisma, orgId, parseFleetQuery({}), { now });
    expect(fleet.tiles).toHaveLength(SITUATIONS.length);
    for (const tile of fleet.tiles) {
      const expected = SITUATIONS.find((s) => s.name === tile.name)!;
      const page = await meterCameraState(prisma, tile.id, now);
      expect({ meter: tile.name, camera: fromTile(tile.camera) }).toEqual({
        meter: tile.name,
        camera: fromPage(page),
      });
      expect({ meter: tile.name, health: tile.camera.health }).toEqual({
        meter: tile.name,
        health: expected.health,
      });
    }
    const [twoFailing] = (await listFleetPage(prisma, orgId, parseFleetQuery({ q: 'two failing' }), { now }))
      .tiles;
    expect(await meterCameraState(prisma, twoFailing!.id, now)).toMatchObject({
      state: 'error',
      devices: 3,
      device: 'c2',
      message: 'newest',
    });
    expect(twoFailing!.camera).toEqual({
      health: 'failing',
      devices: 3,
      lastSeenAt: minutesAgo(10),
      error: 'newest',
    });
    // the list's status filter uses the same health
    for (const status of ['failing', 'stale', 'online', 'no-camera'] as const) {
      const health = status === 'no-camera' ? 'none' : status;
      const listed = await listFleetPage(prisma, orgId, parseFleetQuery({ status }), { now });
      expect([status, listed.tiles.map((t) => t.name).sort()]).toEqual([
        status,
        SITUATIONS.filter((s) => s.health === health)
          .map((s) => s.name)
          .sort(),
      ]);
    }
  });
});
