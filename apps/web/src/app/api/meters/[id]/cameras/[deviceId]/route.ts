import { CameraSettingsSchema, updateCameraSettings } from '@metertwin/meters';
import { apiUser } from '../../../../../../lib/auth';
import { webConfig } from '../../../../../../lib/config';
import { domainErrorResponse } from '../../../../../../lib/domain-error-response';
import { readJsonBody } from '../../../../../../lib/request-body';
import { prisma, secrets } from '../../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/**
 * POST /api/meters/:id/cameras/:deviceId {snapshotUrl?, pullIntervalSec?, pullTimeoutMs?, flashIntensity?, readingUrl?, basicAuth?}
 * (operator+): the camera's pull settings, audited; ingest's schedule sync follows within SCHEDULE_SYNC_MS.
 * 422 naming the field for a URL the outbound policy refuses or a value out of range.
 */
export async function POST(request: Request, context: { params: Promise<{ id: string; deviceId: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id, deviceId } = await context.params;
  const body = await readJsonBody(request, CameraSettingsSchema, undefined, 422);
  if (body instanceof Response) return body;
  try {
    const actor = { orgId: user.orgId, type: 'user' as const, id: user.id };
    const device = await updateCameraSettings(prisma(), actor, { meterId: id, deviceId }, body, {
      allowedHosts: webConfig().OUTBOUND_ALLOWED_HOSTS,
      secrets: secrets(),
    });
    const { snapshotUrl, pullIntervalSec, pullTimeoutMs, flashIntensity, readingUrl, basicAuthUser } = device;
    return Response.json({ id: deviceId, snapshotUrl, pullIntervalSec, pullTimeoutMs, flashIntensity, readingUrl, basicAuthUser }, { headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore, { invalid: 422 });
  }
}
