import { imageType } from './image.js';

/** What became of one upload. */
export type UploadOutcome =
  | { kind: 'stored'; captureId: string; duplicate: boolean }
  /** This photo is refused for good (not an image, too large, a bad time): sending it again cannot help. */
  | { kind: 'refused'; status: number; reason: string }
  /** The platform is down, overloaded or unreachable: try again later, keep the order. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number };

/** How photos reach the platform: ingest's HTTP upload, or MQTT (mqtt-uploader.ts). */
export interface PhotoUploader {
  send(photo: Buffer, takenAt: Date): Promise<UploadOutcome>;
  close(): Promise<void>;
}

/** Statuses worth retrying: timeouts, throttling and server-side trouble. */
const RETRY_STATUSES = new Set([408, 425, 429]);
/** The platform does not take this camera's photos (a revoked token, a deleted meter): every photo is kept until someone fixes the config. */
const NOT_THIS_CAMERA = new Set([401, 403, 404]);

/** Sends one photo to ingest's device upload, with the time it was taken. */
export async function upload(
  target: { platformUrl: string; meterId: string; deviceToken: string; timeoutMs: number },
  photo: Buffer,
  takenAt: Date,
): Promise<UploadOutcome> {
  const url = new URL(`/v1/meters/${encodeURIComponent(target.meterId)}/captures`, target.platformUrl);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${target.deviceToken}`,
        'content-type': imageType(photo) ?? 'application/octet-stream',
        'x-taken-at': takenAt.toISOString(),
      },
      body: new Uint8Array(photo),
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { kind: 'retry', reason: `platform unreachable: ${cause ?? (error as Error).message}` };
  }
  const text = await res.text().catch(() => '');
  if (res.status === 201 || res.status === 202 || res.status === 200) {
    const body = JSON.parse(text) as { captureId: string; duplicate?: boolean };
    return { kind: 'stored', captureId: body.captureId, duplicate: body.duplicate === true };
  }
  const reason = `HTTP ${res.status}: ${errorMessage(text)}`;
  if (NOT_THIS_CAMERA.has(res.status)) {
    return { kind: 'retry', reason: `${reason} (check meterId and deviceToken; photos are kept)` };
  }
  if (res.status >= 500 || RETRY_STATUSES.has(res.status)) {
    const seconds = Number(res.headers.get('retry-after'));
    return { kind: 'retry', reason, retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined };
  }
  return { kind: 'refused', status: res.status, reason };
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    return String(body.message ?? body.error ?? text).slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}

/** Photos through ingest's HTTP device upload, with the camera's device token. */
export class HttpUploader implements PhotoUploader {
  constructor(private readonly target: { platformUrl: string; meterId: string; deviceToken: string; timeoutMs: number }) {}

  send(photo: Buffer, takenAt: Date): Promise<UploadOutcome> {
    return upload(this.target, photo, takenAt);
  }

  async close(): Promise<void> {}
}
