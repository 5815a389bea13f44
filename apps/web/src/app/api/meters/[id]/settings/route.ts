import { MeterSettingsSchema, updateMeterSettings } from '@metertwin/meters';
import { apiRoute, noStore } from '../../../../../lib/api-route';

export const dynamic = 'force-dynamic';

/**
 * POST /api/meters/:id/settings {name?, location?, timeZone?, decimals?, ocrMode?, conversion?}
 * (operator+): saves the fields given, audited. 422 naming the field for a value that makes no sense.
 */
export const POST = apiRoute<{ id: string }, typeof MeterSettingsSchema>(
  { role: 'operator', body: MeterSettingsSchema, refusedStatus: 422, statuses: { invalid: 422 } },
  async ({ db, actor, params: { id }, body }) => {
    const meter = await updateMeterSettings(db, actor, id, body);
    const { name, location, timeZone, decimals, ocrMode, conversion } = meter;
    return Response.json({ id, name, location, timeZone, decimals, ocrMode, conversion }, { headers: noStore });
  },
);
