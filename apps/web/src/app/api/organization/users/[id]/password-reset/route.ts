import { sendPasswordResetLink } from '@metertwin/org-admin';
import { actorOf } from '../../../../../../lib/actor';
import { apiUser } from '../../../../../../lib/auth';
import { orgAdminErrorResponse, orgAdminMail } from '../../../../../../lib/org-admin';
import { prisma } from '../../../../../../lib/server';

export const dynamic = 'force-dynamic';

/** POST /api/organization/users/:id/password-reset (admin): e-mails the user a reset link. */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  try {
    await sendPasswordResetLink(orgAdminMail(), actorOf(user), id);
    return Response.json({ sent: true }, { status: 202, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return orgAdminErrorResponse(error);
  }
}
