import { CameraSettingsSchema, updateCameraSettings } from '@metertwin/meters';
import { apiRoute, noStore } from '../../../../../../lib/api-route';
import { webConfig } from '../../../../../../lib/config';
import { secrets } from '../../../../../../lib/server';

export const dynamic = 'force-dynamic';

/**
 * POST /api/meters/:id/cameras/:deviceId {snapshotUrl?, pullIntervalSec?, pullTimeoutMs?, flashIntensity?, readingUrl?, basicAuth?}
 * (operator+): the camera's pull settings, audited; ingest's schedule sync follows within SCHEDULE_SYNC_MS.
 * 422 naming the field for a URL the outbound policy refuses or a value out of range.
 */
export const POST = apiRoute<{ id: string; deviceId: string }, typeof CameraSettingsSchema>(
  { role: 'operator', body: CameraSettingsSchema, refusedStatus: 422, statuses: { invalid: 422 } },
  async ({ db, actor, params: { id, deviceId }, body }) => {
    const device = await updateCameraSettings(db, actor, { meterId: id, deviceId }, body, {
      allowedHosts: webConfig().OUTBOUND_ALLOWED_HOSTS,
      secrets: secrets(),
    });
    const { snapshotUrl, pullIntervalSec, pullTimeoutMs, flashIntensity, readingUrl, basicAuthUser } = device;
    return Response.json({ id: deviceId, snapshotUrl, pullIntervalSec, pullTimeoutMs, flashIntensity, readingUrl, basicAuthUser }, { headers: noStore });
  },
);
