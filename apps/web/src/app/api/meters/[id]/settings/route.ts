import { MeterSettingsSchema, updateMeterSettings } from '@metertwin/meters';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/**
 * POST /api/meters/:id/settings {name?, location?, timeZone?, decimals?, ocrMode?, conversion?}
 * (operator+): saves the fields given, audited. 422 naming the field for a value that makes no sense.
 */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const body = await readJsonBody(request, MeterSettingsSchema, undefined, 422);
  if (body instanceof Response) return body;
  try {
    const meter = await updateMeterSettings(prisma(), { orgId: user.orgId, type: 'user', id: user.id }, id, body);
    const { name, location, timeZone, decimals, ocrMode, conversion } = meter;
    return Response.json({ id, name, location, timeZone, decimals, ocrMode, conversion }, { headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore, { invalid: 422 });
  }
}
