import { revokeInvitation } from '@metertwin/org-admin';
import { actorOf } from '../../../../../lib/actor';
import { apiUser } from '../../../../../lib/auth';
import { orgAdminErrorResponse } from '../../../../../lib/org-admin';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

/** DELETE /api/organization/invitations/:id (admin): takes back an invitation not yet accepted. */
export async function DELETE(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  try {
    await revokeInvitation(prisma(), actorOf(user), id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return orgAdminErrorResponse(error);
  }
}
