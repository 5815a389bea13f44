import { replaceMeterReference } from '@metertwin/meters';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { alignLayout, OnboardError, ReferenceRequestSchema, SNAPSHOT_MAX_BYTES } from '../../../../../lib/onboard';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';
import { refusalOf, refusalResponse } from '../../../../../lib/refusal';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/**
 * POST /api/meters/:id/reference {image, layout} (operator+): the camera was moved; the layout drawn
 * on `image` becomes the meter's reference, with alignment marks cut from the photo as at onboarding,
 * and preprocess registers frames to it from the next capture. 201 {alignmentMarks, note}; 422 for a
 * layout that does not fit the photo or marks another drum count than the counter has.
 */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const body = await readJsonBody(request, ReferenceRequestSchema, SNAPSHOT_MAX_BYTES * 2, 422);
  if (body instanceof Response) return body;
  try {
    const { layout, note } = await alignLayout(Buffer.from(body.image, 'base64'), body.layout);
    await replaceMeterReference(prisma(), { orgId: user.orgId, type: 'user', id: user.id }, id, layout);
    return Response.json({ alignmentMarks: layout.alignment?.marks.length ?? 0, note }, { status: 201, headers: noStore });
  } catch (error) {
    if (error instanceof OnboardError) return refusalResponse(422, refusalOf(error));
    return domainErrorResponse(error, noStore, { invalid: 422 });
  }
}
