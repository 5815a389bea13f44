import { InviteSchema, inviteUser } from '@metertwin/org-admin';
import { apiUser } from '../../../../lib/auth';
import { orgAdminErrorResponse, orgAdminMail } from '../../../../lib/org-admin';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

/** POST /api/organization/invitations {email, role, locale} (admin): e-mails an invitation link. */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, InviteSchema, 4 * 1024);
  if (body instanceof Response) return body;
  try {
    const invited = await inviteUser(
      orgAdminMail(),
      { orgId: user.orgId, type: 'user', id: user.id, name: user.name },
      body,
    );
    return Response.json(invited, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return orgAdminErrorResponse(error);
  }
}
