import { apiUser } from '../../../lib/auth';
import { readJsonBody } from '../../../lib/json-body';
import { NewMeterRequestSchema, saveMeter } from '../../../lib/onboard';
import { prisma } from '../../../lib/server';

export const dynamic = 'force-dynamic';

/**
 * POST /api/onboard — creates the meter and its camera in the user's organization (operator or
 * admin). 201 {meterId, deviceToken}: the token is shown this once (a pushing camera needs it).
 */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, NewMeterRequestSchema, 256 * 1024);
  if (body instanceof Response) return body;
  const saved = await saveMeter(prisma(), user.orgId, body);
  return Response.json(saved, { status: 201, headers: { 'cache-control': 'no-store' } });
}
