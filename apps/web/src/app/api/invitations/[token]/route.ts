import { acceptInvitation, AcceptInvitationSchema } from '@metertwin/org-admin';
import { isHttps, crossSiteRefusal } from '../../../../lib/auth';
import { orgAdminErrorResponse } from '../../../../lib/org-admin';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';
import { localeCookieHeader } from '../../../../lib/user-locale';

export const dynamic = 'force-dynamic';

/**
 * POST /api/invitations/:token {name, password} (signed out; the token is the credential): creates
 * the account once. The new user then signs in on /signin, in the invitation's language (the
 * language cookie is set to it, as the header's switch would).
 */
export async function POST(
  request: Request,
  context: { params: Promise<{ token: string }> },
): Promise<Response> {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  const body = await readJsonBody(request, AcceptInvitationSchema, 4 * 1024);
  if (body instanceof Response) return body;
  const { token } = await context.params;
  try {
    const { email, locale } = await acceptInvitation(prisma(), token, body);
    return Response.json(
      { email },
      {
        status: 201,
        headers: { 'cache-control': 'no-store', 'set-cookie': localeCookieHeader(locale, { secure: isHttps(request) }) },
      },
    );
  } catch (error) {
    return orgAdminErrorResponse(error);
  }
}
