import { ArchiveMeterSchema, setMeterArchived } from '@metertwin/meters';
import { apiRoute, noStore } from '../../../../../lib/api-route';

export const dynamic = 'force-dynamic';

/** POST /api/meters/:id/archive {archived} (operator+): archives the meter or puts it back in service; 409 when it already is. */
export const POST = apiRoute<{ id: string }, typeof ArchiveMeterSchema>(
  { role: 'operator', body: ArchiveMeterSchema, refusedStatus: 422 },
  async ({ db, actor, params: { id }, body }) => {
    const meter = await setMeterArchived(db, actor, id, body.archived);
    return Response.json({ id, archivedAt: meter.archivedAt?.toISOString() ?? null }, { headers: noStore });
  },
);
