import type { PrismaClient } from '@metertwin/db';
import { ImageNotFoundError, type ImageStorage } from '@metertwin/storage';
import { findOrgCaptureImage } from './capture.repository';

/** Captures never change (content-addressed keys): the signed-in browser may keep them, shared caches may not. */
export const CAPTURE_CACHE_CONTROL = 'private, max-age=31536000, immutable';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);

function notFound(): Response {
  return new Response('capture image not found\n', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * Serves a capture's stored bytes with its content type; 404 for an unknown capture, another
 * organization's capture (indistinguishable from unknown) or a missing file; 410 for a photo that
 * retention deleted.
 */
export async function serveCaptureImage(
  deps: { prisma: PrismaClient; storage: ImageStorage },
  orgId: string,
  captureId: string,
  request: Request,
): Promise<Response> {
  const capture = await findOrgCaptureImage(deps.prisma, orgId, captureId);
  if (!capture) return notFound();
  if (capture.photoDeletedAt) {
    return new Response(
      `photo deleted by the organization's retention on ${capture.photoDeletedAt.toISOString()}\n`,
      {
        status: 410,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      },
    );
  }
  const etag = `"${capture.sha256}"`;
  const headers: Record<string, string> = {
    'cache-control': CAPTURE_CACHE_CONTROL,
    etag,
    'x-content-type-options': 'nosniff',
  };
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
    return new Response(null, { status: 304, headers });
  }
  let bytes: Buffer;
  try {
    bytes = await deps.storage.get(capture.storageKey);
  } catch (error) {
    if (error instanceof ImageNotFoundError) return notFound();
    throw error;
  }
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      ...headers,
      'content-type': IMAGE_TYPES.has(capture.contentType) ? capture.contentType : 'application/octet-stream',
      'content-length': String(bytes.byteLength),
    },
  });
}
