import type { PrismaClient } from '@metertwin/db';
import { findMeterCameraHealth } from './camera-health.repository';

export type CameraHealth = 'online' | 'stale' | 'failing' | 'none';

/** A meter's camera health as the meter page shows it (the failing camera named). */
export type CameraState =
  | { state: 'none' }
  | { state: 'ok'; devices: number; lastSeenAt: Date | null }
  | { state: 'stale'; devices: number; lastSeenAt: Date | null }
  | { state: 'error'; devices: number; device: string; message: string; at: Date | null };

/** A meter's camera health as the fleet list shows it on a tile. */
export interface CameraSummary {
  health: CameraHealth;
  devices: number;
  lastSeenAt: Date | null;
  error: string | null;
}

/** The columns cameraHealthSql (camera-health.repository.ts, the one definition) gives per meter. */
export interface CameraHealthRow {
  health: CameraHealth;
  devices: number;
  last_seen_at: Date | null;
  camera_error: string | null;
  camera_error_device: string | null;
  camera_error_at: Date | null;
}

/** The meter page's view of a camera health row (null: the meter has no camera). */
export function cameraState(cam: CameraHealthRow | null): CameraState {
  if (!cam) return { state: 'none' };
  if (cam.health === 'failing') {
    return {
      state: 'error',
      devices: cam.devices,
      device: cam.camera_error_device!,
      message: cam.camera_error!,
      at: cam.camera_error_at,
    };
  }
  return {
    state: cam.health === 'stale' ? 'stale' : 'ok',
    devices: cam.devices,
    lastSeenAt: cam.last_seen_at,
  };
}

/** The fleet tile's view of the same row (null: the meter has no camera). */
export function cameraSummary(
  cam: Pick<CameraHealthRow, 'health' | 'devices' | 'last_seen_at' | 'camera_error'> | null,
): CameraSummary {
  if (!cam) return { health: 'none', devices: 0, lastSeenAt: null, error: null };
  return { health: cam.health, devices: cam.devices, lastSeenAt: cam.last_seen_at, error: cam.camera_error };
}

/** One meter's camera health, for the meter page. */
export async function meterCameraState(
  prisma: PrismaClient,
  meterId: string,
  now = new Date(),
): Promise<CameraState> {
  return cameraState(await findMeterCameraHealth(prisma, meterId, now));
}
