/** Why a camera could not deliver a frame; recorded on the device so the portal can show it. */
export class CameraError extends Error {}

export interface SnapshotRequest {
  url: string;
  timeoutMs: number;
  maxBytes: number;
  basicAuth?: { user: string; password: string };
}

/** Fetches one frame from a snapshot URL (an ESP32-CAM `/capture`, or any JPEG URL). */
export async function fetchSnapshot(request: SnapshotRequest): Promise<Buffer> {
  const headers: Record<string, string> = { accept: 'image/jpeg, image/png' };
  if (request.basicAuth) {
    const pair = `${request.basicAuth.user}:${request.basicAuth.password}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  const signal = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    if (signal.aborted) throw new CameraError(`camera did not answer within ${request.timeoutMs} ms`);
    throw new CameraError(`camera unreachable: ${(error as Error).cause ?? (error as Error).message}`);
  }
  if (!response.ok) throw new CameraError(`camera answered HTTP ${response.status}`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type !== 'image/jpeg' && type !== 'image/png') {
    await response.body?.cancel();
    throw new CameraError(`camera sent "${type || 'no content type'}", not a JPEG or PNG image`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > request.maxBytes) {
    await response.body?.cancel();
    throw new CameraError(`camera image of ${declared} bytes exceeds the ${request.maxBytes} byte limit`);
  }
  try {
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > request.maxBytes) throw new CameraError(`camera image exceeds the ${request.maxBytes} byte limit`);
    return bytes;
  } catch (error) {
    if (error instanceof CameraError) throw error;
    if (signal.aborted) throw new CameraError(`camera did not finish sending within ${request.timeoutMs} ms`);
    throw new CameraError(`camera connection failed: ${(error as Error).message}`);
  }
}
