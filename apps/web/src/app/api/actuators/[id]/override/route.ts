import { setActuatorOverride } from '@metertwin/alarms';
import { OverrideSchema } from '../../../../../lib/actuators';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** PUT /api/actuators/:id/override {until: ISO datetime | null} (operator+). */
export async function PUT(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const body = await readJsonBody(request, OverrideSchema);
  if (body instanceof Response) return body;
  try {
    const until = body.until ? new Date(body.until) : null;
    const actuator = await setActuatorOverride(prisma(), {
      orgId: user.orgId,
      actuatorId: id,
      userId: user.id,
      until,
    });
    return Response.json({ id: actuator.id, overrideUntil: actuator.overrideUntil }, { headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
