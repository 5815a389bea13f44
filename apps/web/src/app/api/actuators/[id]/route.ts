import { deleteActuator } from '@metertwin/alarms';
import { actorOf } from '../../../../lib/actor';
import { apiUser } from '../../../../lib/auth';
import { domainErrorResponse } from '../../../../lib/domain-error-response';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

/** DELETE /api/actuators/:id (admin): the actuator and its command history; rules naming it skip it from then on. */
export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  try {
    await deleteActuator(prisma(), actorOf(user), id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return domainErrorResponse(error, { 'cache-control': 'no-store' });
  }
}
