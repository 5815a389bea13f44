import { acceptInvitation, AcceptInvitationSchema } from '@metertwin/org-admin';
import { isSameOriginRequest } from '../../../../lib/auth';
import { orgAdminErrorResponse } from '../../../../lib/org-admin';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

/**
 * POST /api/invitations/:token {name, password} (signed out; the token is the credential): creates
 * the account once. The new user then signs in on /signin.
 */
export async function POST(
  request: Request,
  context: { params: Promise<{ token: string }> },
): Promise<Response> {
  if (!isSameOriginRequest(request))
    return Response.json({ error: 'cross-site request refused' }, { status: 403 });
  const body = await readJsonBody(request, AcceptInvitationSchema, 4 * 1024);
  if (body instanceof Response) return body;
  const { token } = await context.params;
  try {
    const { email } = await acceptInvitation(prisma(), token, body);
    return Response.json({ email }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return orgAdminErrorResponse(error);
  }
}
