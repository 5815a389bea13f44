import { SecretPurpose, type PrismaClient, type SecretBox } from '@metertwin/db';
import { ImageNotFoundError, type ImageStorage } from '@metertwin/storage';
import { z } from 'zod';
import { findReferencePhotoSources } from './meter.repository';
import { OnboardError, takeSnapshot } from './onboard';

/** Where the photo for a new reference comes from: a snapshot pulled now, or the latest stored capture. */
export const ReferencePhotoRequestSchema = z.object({ source: z.enum(['camera', 'latest']) }).strict();

/**
 * A photo to draw a meter's new reference layout on (the camera was moved): a fresh snapshot from
 * its pulled camera (its stored credentials and flash, the organization's outbound policy) or the latest photo
 * ingest kept. Null for another organization's meter; an OnboardError says why there is no photo.
 */
export async function referencePhoto(
  deps: { prisma: PrismaClient; storage: ImageStorage; secrets: SecretBox },
  orgId: string,
  meterId: string,
  source: 'camera' | 'latest',
): Promise<Buffer | null> {
  const meter = await findReferencePhotoSources(deps.prisma, orgId, meterId);
  if (!meter) return null;
  if (source === 'camera') {
    const camera = meter.devices[0];
    if (!camera) throw new OnboardError('this meter has no camera the platform pulls: use its latest photo', { code: 'no-pulled-camera' });
    const basicAuth = camera.basicAuthUser
      ? {
          user: camera.basicAuthUser,
          password: camera.basicAuthPassword ? deps.secrets.open(camera.basicAuthPassword, SecretPurpose.CameraPassword) : '',
        }
      : undefined;
    return takeSnapshot(deps.prisma, orgId, camera.snapshotUrl!, basicAuth, { timeoutMs: camera.pullTimeoutMs, flashIntensity: camera.flashIntensity });
  }
  const latest = meter.captures[0];
  if (!latest) throw new OnboardError('this meter has no stored photo yet', { code: 'no-photo-yet' });
  try {
    return await deps.storage.get(latest.storageKey);
  } catch (error) {
    if (error instanceof ImageNotFoundError) throw new OnboardError('the latest photo is missing from the image storage', { code: 'photo-missing' });
    throw error;
  }
}
