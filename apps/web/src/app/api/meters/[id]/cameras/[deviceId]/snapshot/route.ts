import { requestSnapshot } from '@metertwin/meters';
import { apiUser } from '../../../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../../../lib/domain-error-response';
import { enqueueCameraPull, QueueUnreachableError } from '../../../../../../../lib/queues';
import { refusalResponse } from '../../../../../../../lib/refusal';
import { prisma } from '../../../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/**
 * POST /api/meters/:id/cameras/:deviceId/snapshot (operator+): the camera takes a photo now (pulled,
 * or asked on its MQTT command topic); 202 once ingest's job is queued (the photo then arrives like a
 * scheduled one), 409 for a camera that pushes over HTTP or an archived meter, 503 when the queue cannot be reached.
 */
export async function POST(request: Request, context: { params: Promise<{ id: string; deviceId: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id, deviceId } = await context.params;
  try {
    await requestSnapshot(prisma(), user.orgId, id, deviceId, enqueueCameraPull);
  } catch (error) {
    if (!(error instanceof QueueUnreachableError)) return domainErrorResponse(error, noStore);
    return refusalResponse(503, { error: 'the queue cannot be reached; try again', code: 'queue-unreachable' }, { 'retry-after': '5' });
  }
  return Response.json({ queued: true }, { status: 202, headers: noStore });
}
