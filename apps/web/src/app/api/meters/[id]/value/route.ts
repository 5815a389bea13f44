import { setMeterValue, SetMeterValueSchema } from '@metertwin/meters';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** POST /api/meters/:id/value {value, at?, reason} (operator+): "the meter reads value from at (now)". */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const body = await readJsonBody(request, SetMeterValueSchema);
  if (body instanceof Response) return body;
  try {
    const anchor = await setMeterValue(prisma(), { orgId: user.orgId, type: 'user', id: user.id }, id, body);
    return Response.json(
      { id: anchor.id, value: body.value, setAt: anchor.setAt.toISOString(), reason: anchor.reason },
      { status: 201, headers: noStore },
    );
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
