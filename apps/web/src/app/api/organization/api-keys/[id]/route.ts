import { apiUser } from '../../../../../lib/auth';
import { revokeOrgApiKey } from '../../../../../lib/organization';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

/** DELETE /api/organization/api-keys/:id (admin): revokes the key at once. */
export async function DELETE(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  if (!(await revokeOrgApiKey(prisma(), user, id))) {
    return Response.json(
      { error: 'no such active key', code: 'api-key-not-found' },
      { status: 404, headers: { 'cache-control': 'no-store' } },
    );
  }
  return new Response(null, { status: 204 });
}
