import { OutboundError } from './errors.js';
import { outboundRequest } from './http.js';
import type { OutboundPolicy } from './policy.js';

export interface CameraFlashRequest {
  /** The camera's snapshot URL: its `/control` is on the same origin. */
  snapshotUrl: string;
  /** 0 (off) to 255. */
  intensity: number;
  policy: OutboundPolicy;
  timeoutMs: number;
  basicAuth?: { user: string; password: string };
}

/** The largest answer a control request may have (the firmware answers with an empty body). */
const MAX_BYTES = 4096;

/**
 * The stock ESP32 CameraWebServer's LED control on the snapshot URL's origin:
 * `GET /control?var=led_intensity&val=N` (its cmd_handler; /capture lights the LED at that duty while it grabs the frame).
 */
export function flashControlUrl(snapshotUrl: string, intensity: number): string {
  const url = new URL('/control', snapshotUrl);
  url.search = new URLSearchParams({ var: 'led_intensity', val: String(intensity) }).toString();
  return url.href;
}

/**
 * Sets the camera's LED through the outbound policy. Never throws for the camera's failings: it
 * answers null when the camera took it, else why not, in words for the meter's operators.
 */
export async function setCameraFlash(request: CameraFlashRequest): Promise<string | null> {
  const headers: Record<string, string> = {};
  if (request.basicAuth) headers.authorization = `Basic ${Buffer.from(`${request.basicAuth.user}:${request.basicAuth.password}`).toString('base64')}`;
  try {
    const response = await outboundRequest(flashControlUrl(request.snapshotUrl, request.intensity), {
      policy: request.policy,
      headers,
      timeoutMs: request.timeoutMs,
      maxBytes: MAX_BYTES,
    });
    if (response.status >= 200 && response.status < 300) return null;
    return `the camera answered HTTP ${response.status} to its flash control (/control)`;
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.failure === 'timeout') return `the camera's flash control (/control) did not answer within ${request.timeoutMs} ms`;
    if (error.failure === 'unreachable') return "could not connect to the camera's flash control (/control)";
    return `flash control (/control): ${error.message}`;
  }
}

/**
 * Takes a photo with the camera's LED at `flash.intensity` and turns it off after, also when the
 * photo fails. A camera that does not take the flash still gives its photo: the first reason it
 * gave is answered as `flashError`, and each one goes to `onFlashError` (for a log).
 */
export async function withCameraFlash<T>(
  flash: CameraFlashRequest,
  take: () => Promise<T>,
  onFlashError: (error: string, intensity: number) => void = () => {},
): Promise<{ result: T; flashError: string | null }> {
  const switchTo = async (intensity: number) => {
    const error = await setCameraFlash({ ...flash, intensity });
    if (error) onFlashError(error, intensity);
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
