import { requestSnapshot } from '@metertwin/meters';
import { apiRoute, noStore } from '../../../../../../../lib/api-route';
import { enqueueCameraPull, QueueUnreachableError } from '../../../../../../../lib/queues';
import { refusalResponse } from '../../../../../../../lib/refusal';

export const dynamic = 'force-dynamic';

/**
 * POST /api/meters/:id/cameras/:deviceId/snapshot (operator+): the camera takes a photo now (pulled,
 * or asked on its MQTT command topic); 202 once ingest's job is queued (the photo then arrives like a
 * scheduled one), 409 for a camera that pushes over HTTP or an archived meter, 503 when the queue cannot be reached.
 */
export const POST = apiRoute<{ id: string; deviceId: string }>({ role: 'operator' }, async ({ db, user, params: { id, deviceId } }) => {
  try {
    await requestSnapshot(db, user.orgId, id, deviceId, enqueueCameraPull);
  } catch (error) {
    if (!(error instanceof QueueUnreachableError)) throw error;
    return refusalResponse(503, { error: 'the queue cannot be reached; try again', code: 'queue-unreachable' }, { 'retry-after': '5' });
  }
  return Response.json({ queued: true }, { status: 202, headers: noStore });
});
