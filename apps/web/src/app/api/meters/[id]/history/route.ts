import { z } from 'zod';
import { apiRoute, noStore } from '../../../../../lib/api-route';
import { HISTORY_RANGE_KEYS } from '../../../../../lib/history';
import { findOrgMeterZone } from '../../../../../lib/meter.repository';
import { getConsumptionHistory } from '../../../../../lib/meters';
import { fieldIssues, refusalResponse } from '../../../../../lib/refusal';

export const dynamic = 'force-dynamic';

const QuerySchema = z.object({
  range: z.enum(HISTORY_RANGE_KEYS as ['hour', 'day', 'month']).default('day'),
  /** How many buckets up to now: 365 days (or 8,760 hours) is a year. */
  buckets: z.coerce.number().int().min(1).max(10_000).optional(),
});

/**
 * GET /api/meters/:id/history?range=hour|day|month&buckets=N — the chart's buckets as JSON, cut in the
 * meter's time zone (times are ISO instants). Another organization's meter is 404.
 */
export const GET = apiRoute<{ id: string }>({ role: 'viewer' }, async ({ db, user, params: { id }, request }) => {
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.safeParse(
    { range: params.get('range') ?? undefined, buckets: params.get('buckets') ?? undefined },
    { reportInput: true },
  );
  if (!query.success) {
    return refusalResponse(400, {
      error: query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      code: 'invalid-fields',
      issues: fieldIssues(query.error.issues),
    });
  }
  const meter = await findOrgMeterZone(db, user.orgId, id);
  if (!meter) return refusalResponse(404, { error: 'meter not found', code: 'meter-not-found' });
  const buckets = await getConsumptionHistory(db, meter.id, query.data.range, {
    timeZone: meter.timeZone,
    buckets: query.data.buckets,
  });
  return Response.json({ meterId: meter.id, timeZone: meter.timeZone, range: query.data.range, buckets }, { headers: noStore });
});
