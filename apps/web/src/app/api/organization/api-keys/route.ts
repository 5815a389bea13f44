import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import { createOrgApiKey, listApiKeys, NewApiKeySchema } from '../../../../lib/organization';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/organization/api-keys (admin): the keys, never their tokens. */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  return Response.json({ keys: await listApiKeys(prisma(), user.orgId) }, { headers: noStore });
}

/** POST /api/organization/api-keys {name, scopes} (admin): answers the token, this once. */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, NewApiKeySchema, 4 * 1024);
  if (body instanceof Response) return body;
  return Response.json(await createOrgApiKey(prisma(), user, body), { status: 201, headers: noStore });
}
