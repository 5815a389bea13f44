import { ActuatorNotFoundError, OverrideSchema, setOverride } from '../../../../../lib/actuators';
import { apiUser } from '../../../../../lib/auth';
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
    const result = await setOverride(prisma(), user, id, body.until ? new Date(body.until) : null);
    return Response.json(result, { headers: noStore });
  } catch (error) {
    if (error instanceof ActuatorNotFoundError) {
      return Response.json({ error: error.message }, { status: 404, headers: noStore });
    }
    throw error;
  }
}
