import { replaceMeterReference } from '@metertwin/meters';
import { apiRoute, noStore } from '../../../../../lib/api-route';
import { alignLayout, OnboardError, ReferenceRequestSchema, SNAPSHOT_MAX_BYTES } from '../../../../../lib/onboard';
import { refusalOf, refusalResponse } from '../../../../../lib/refusal';

export const dynamic = 'force-dynamic';

/**
 * POST /api/meters/:id/reference {image, layout} (operator+): the camera was moved; the layout drawn
 * on `image` becomes the meter's reference, with alignment marks cut from the photo as at onboarding,
 * and preprocess registers frames to it from the next capture. 201 {alignmentMarks, note}; 422 for a
 * layout that does not fit the photo or marks another drum count than the counter has.
 */
export const POST = apiRoute<{ id: string }, typeof ReferenceRequestSchema>(
  {
    role: 'operator',
    body: ReferenceRequestSchema,
    maxBytes: SNAPSHOT_MAX_BYTES * 2,
    refusedStatus: 422,
    statuses: { invalid: 422 },
  },
  async ({ db, actor, params: { id }, body }) => {
    try {
      const { layout, note } = await alignLayout(Buffer.from(body.image, 'base64'), body.layout);
      await replaceMeterReference(db, actor, id, layout);
      return Response.json({ alignmentMarks: layout.alignment?.marks.length ?? 0, note }, { status: 201, headers: noStore });
    } catch (error) {
      if (error instanceof OnboardError) return refusalResponse(422, refusalOf(error));
      throw error;
    }
  },
);
