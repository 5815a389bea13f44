import { apiRoute } from '../../../../../lib/api-route';
import { serveReadingsCsv } from '../../../../../lib/csv';

export const dynamic = 'force-dynamic';

/** GET /api/meters/:id/readings.csv?from=&to= (viewer+): the meter's readings as CSV, streamed (lib/csv). */
export const GET = apiRoute<{ id: string }>({ role: 'viewer' }, ({ db, user, params: { id }, request }) =>
  serveReadingsCsv(db, user.orgId, id, request),
);
