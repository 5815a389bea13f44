import { OutboundError } from './errors.js';
import { outboundRequest } from './http.js';
import type { OutboundPolicy } from './policy.js';

/** Why a camera gave no frame; the message is meant for the people who run the meter. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

export interface SnapshotRequest {
  url: string;
  policy: OutboundPolicy;
  timeoutMs: number;
  maxBytes: number;
  basicAuth?: { user: string; password: string };
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/png']);
/** Cameras behind a login page or a load balancer may redirect once or twice; more is a loop. */
const MAX_REDIRECTS = 3;

/**
 * GETs one frame from a camera's snapshot URL (an ESP32-CAM `/capture`, a Pi's snapshot, any JPEG
 * URL) for the scheduled pull and for onboarding alike.
 */
export async function fetchSnapshot(request: SnapshotRequest): Promise<Buffer> {
  const headers: Record<string, string> = { accept: 'image/jpeg, image/png' };
  if (request.basicAuth) {
    const pair = `${request.basicAuth.user}:${request.basicAuth.password}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  let response;
  try {
    response = await outboundRequest(request.url, {
      policy: request.policy,
      headers,
      timeoutMs: request.timeoutMs,
      maxBytes: request.maxBytes,
      maxRedirects: MAX_REDIRECTS,
    });
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    throw new SnapshotError(cameraMessage(error, request), { cause: error });
  }
  const { status } = response;
  if (status === 401 || status === 403) throw new SnapshotError(`the camera refused the credentials (HTTP ${status})`);
  if (status < 200 || status >= 300) throw new SnapshotError(`the camera answered HTTP ${status}`);
  const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!IMAGE_TYPES.has(type)) {
    throw new SnapshotError(`the camera sent ${type ? `"${type}"` : 'no content type'}, not a JPEG or PNG image`);
  }
  return response.body;
}

function cameraMessage(error: OutboundError, request: SnapshotRequest): string {
  switch (error.failure) {
    case 'timeout':
      return `the camera did not answer within ${request.timeoutMs} ms`;
    case 'unreachable':
      return 'could not connect to the camera';
    case 'too-large':
      return `the snapshot is larger than ${request.maxBytes} bytes`;
    default:
      return error.message;
  }
}
