import { apiUser } from '../../../../../../lib/auth';
import { analyseSnapshot, OnboardError } from '../../../../../../lib/onboard';
import { referencePhoto, ReferencePhotoRequestSchema } from '../../../../../../lib/reference-photo';
import { readJsonBody } from '../../../../../../lib/request-body';
import { prisma, secrets, storage } from '../../../../../../lib/server';
import { refusalOf, refusalResponse } from '../../../../../../lib/refusal';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/**
 * POST /api/meters/:id/reference/photo {source: camera | latest} (operator+): a photo to draw the new
 * reference layout on, answered as onboarding's snapshot is (base64 image, size, suggested layout).
 */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const body = await readJsonBody(request, ReferencePhotoRequestSchema, undefined, 422);
  if (body instanceof Response) return body;
  try {
    const bytes = await referencePhoto({ prisma: prisma(), storage: storage(), secrets: secrets() }, user.orgId, id, body.source);
    if (!bytes) return Response.json({ error: 'meter not found' }, { status: 404, headers: noStore });
    const snapshot = await analyseSnapshot(bytes);
    const { width, height, suggestion } = snapshot;
    return Response.json({ image: snapshot.image.toString('base64'), width, height, suggestion }, { headers: noStore });
  } catch (error) {
    if (error instanceof OnboardError) return refusalResponse(422, refusalOf(error));
    throw error;
  }
}
