import { deleteMeter, DeleteMeterSchema } from '@metertwin/meters';
import { apiUser } from '../../../../lib/auth';
import { domainErrorResponse } from '../../../../lib/domain-error-response';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma, storage } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/**
 * DELETE /api/meters/:id {confirmName} (admin): deletes the meter, its photos from the image storage
 * first, then its rows; the audit row stays. 422 unless confirmName is the meter's name.
 */
export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const body = await readJsonBody(request, DeleteMeterSchema, undefined, 422);
  if (body instanceof Response) return body;
  try {
    const deleted = await deleteMeter(prisma(), storage(), { orgId: user.orgId, type: 'user', id: user.id }, id, body.confirmName);
    return Response.json({ id, ...deleted }, { headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore, { invalid: 422 });
  }
}
