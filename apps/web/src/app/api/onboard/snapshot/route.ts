import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import {
  analyseSnapshot,
  SNAPSHOT_MAX_BYTES,
  OnboardError,
  SnapshotRequestSchema,
  takeSnapshot,
} from '../../../../lib/onboard';
import { prisma } from '../../../../lib/server';
import { refusalOf, refusalResponse } from '../../../../lib/refusal';

export const dynamic = 'force-dynamic';

/**
 * POST /api/onboard/snapshot {snapshotUrl, basicAuth?, flashIntensity?} | {image (base64)} — takes a
 * photo from the camera, its flash lit as ingest's pulls will light it (or the uploaded one), and
 * answers it with its size and the suggested counter layout.
 */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, SnapshotRequestSchema, SNAPSHOT_MAX_BYTES * 2);
  if (body instanceof Response) return body;
  try {
    const bytes =
      'image' in body
        ? Buffer.from(body.image, 'base64')
        : await takeSnapshot(prisma(), user.orgId, body.snapshotUrl, body.basicAuth, { flashIntensity: body.flashIntensity });
    const snapshot = await analyseSnapshot(bytes);
    return Response.json(
      {
        image: snapshot.image.toString('base64'),
        width: snapshot.width,
        height: snapshot.height,
        suggestion: snapshot.suggestion,
      },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (error) {
    if (error instanceof OnboardError) return refusalResponse(422, refusalOf(error));
    throw error;
  }
}
