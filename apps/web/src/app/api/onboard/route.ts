import { apiUser } from '../../../lib/auth';
import { readJsonBody } from '../../../lib/request-body';
import { NewMeterRequestSchema, saveMeter, SNAPSHOT_MAX_BYTES, OnboardError } from '../../../lib/onboard';
import { prisma, secrets } from '../../../lib/server';
import { refusalOf, refusalResponse } from '../../../lib/refusal';

export const dynamic = 'force-dynamic';

/**
 * POST /api/onboard — creates the meter and its camera in the user's organization (operator or
 * admin). The body carries the onboarding snapshot (base64 `image`, hence the preview's body limit):
 * the layout's alignment marks are cut from it. 201 {meterId, deviceToken, alignmentMarks, note}:
 * the token is shown this once (a pushing camera needs it); `note` says why there are no marks.
 * 422 when a field makes no sense (a layout whose window quad crosses itself or leaves the photo, a
 * drum count of 0 or 20, a dial outside the photo) or the photo is not an image or not the size the
 * layout was drawn on: nothing is saved.
 */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, NewMeterRequestSchema, SNAPSHOT_MAX_BYTES * 2, 422);
  if (body instanceof Response) return body;
  try {
    const saved = await saveMeter(prisma(), secrets(), user.orgId, body);
    return Response.json(saved, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof OnboardError) return refusalResponse(422, refusalOf(error));
    throw error;
  }
}
