import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import { PreviewRequestSchema, readFirst, SNAPSHOT_MAX_BYTES, OnboardError } from '../../../../lib/onboard';
import { prisma } from '../../../../lib/server';
import { refusalOf, refusalResponse } from '../../../../lib/refusal';

export const dynamic = 'force-dynamic';

/** POST /api/onboard/preview {image, layout, decimals, readingRules} — the first reading, before saving. */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, PreviewRequestSchema, SNAPSHOT_MAX_BYTES * 2, 422);
  if (body instanceof Response) return body;
  try {
    const reading = await readFirst(
      Buffer.from(body.image, 'base64'),
      body.layout,
      body.decimals,
      body.readingRules,
    );
    return Response.json(reading, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof OnboardError) return refusalResponse(422, refusalOf(error));
    // A box outside the photo and similar: the layout does not fit this photo.
    return Response.json(
      { error: `could not read the photo with this layout: ${(error as Error).message}` },
      { status: 422 },
    );
  }
}
