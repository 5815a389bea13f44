import { apiRoute, noStore } from '../../../../../../lib/api-route';
import { analyseSnapshot, OnboardError } from '../../../../../../lib/onboard';
import { referencePhoto, ReferencePhotoRequestSchema } from '../../../../../../lib/reference-photo';
import { secrets, storage } from '../../../../../../lib/server';
import { refusalOf, refusalResponse } from '../../../../../../lib/refusal';

export const dynamic = 'force-dynamic';

/**
 * POST /api/meters/:id/reference/photo {source: camera | latest} (operator+): a photo to draw the new
 * reference layout on, answered as onboarding's snapshot is (base64 image, size, suggested layout).
 */
export const POST = apiRoute<{ id: string }, typeof ReferencePhotoRequestSchema>(
  { role: 'operator', body: ReferencePhotoRequestSchema, refusedStatus: 422 },
  async ({ db, user, params: { id }, body }) => {
    try {
      const bytes = await referencePhoto({ prisma: db, storage: storage(), secrets: secrets() }, user.orgId, id, body.source);
      if (!bytes) return Response.json({ error: 'meter not found' }, { status: 404, headers: noStore });
      const snapshot = await analyseSnapshot(bytes);
      const { width, height, suggestion } = snapshot;
      return Response.json({ image: snapshot.image.toString('base64'), width, height, suggestion }, { headers: noStore });
    } catch (error) {
      if (error instanceof OnboardError) return refusalResponse(422, refusalOf(error));
      throw error;
    }
  },
);
