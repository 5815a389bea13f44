import { ArchiveMeterSchema, setMeterArchived } from '@metertwin/meters';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** POST /api/meters/:id/archive {archived} (operator+): archives the meter or puts it back in service; 409 when it already is. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const body = await readJsonBody(request, ArchiveMeterSchema, undefined, 422);
  if (body instanceof Response) return body;
  try {
    const meter = await setMeterArchived(prisma(), { orgId: user.orgId, type: 'user', id: user.id }, id, body.archived);
    return Response.json({ id, archivedAt: meter.archivedAt?.toISOString() ?? null }, { headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
