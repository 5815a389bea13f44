import { setCameraFlash, type CameraFlashRequest } from '@metertwin/egress';
import type { Logger } from '@metertwin/service-kit';

/**
 * Takes a photo with the camera's LED at `flash.intensity`, and turns it off after, also when the
 * photo fails. A camera that does not take the flash still gives its photo: why is answered as
 * `flashError` (and logged), for the device's last error.
 */
export async function withCameraFlash<T>(
  flash: CameraFlashRequest,
  take: () => Promise<T>,
  log: Logger,
): Promise<{ result: T; flashError: string | null }> {
  const switchTo = async (intensity: number) => {
    const error = await setCameraFlash({ ...flash, intensity });
    if (error) log.warn({ intensity, error }, 'camera flash not switched');
    return error;
  };
  const on = await switchTo(flash.intensity);
  let off: string | null = null;
  let result: T;
  try {
    result = await take();
  } finally {
    off = await switchTo(0);
  }
  return { result, flashError: on ?? off };
}
