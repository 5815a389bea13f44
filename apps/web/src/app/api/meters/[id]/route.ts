import { deleteMeter, DeleteMeterSchema } from '@metertwin/meters';
import { apiRoute, noStore } from '../../../../lib/api-route';
import { storage } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

/**
 * DELETE /api/meters/:id {confirmName} (admin): deletes the meter, its photos from the image storage
 * first, then its rows; the audit row stays. 422 unless confirmName is the meter's name.
 */
export const DELETE = apiRoute<{ id: string }, typeof DeleteMeterSchema>(
  { role: 'admin', body: DeleteMeterSchema, refusedStatus: 422, statuses: { invalid: 422 } },
  async ({ db, actor, params: { id }, body }) => {
    const deleted = await deleteMeter(db, storage(), actor, id, body.confirmName);
    return Response.json({ id, ...deleted }, { headers: noStore });
  },
);
