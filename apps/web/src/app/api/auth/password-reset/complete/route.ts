import { resetPassword, PasswordResetSchema } from '@metertwin/org-admin';
import { crossSiteRefusal } from '../../../../../lib/auth';
import { orgAdminErrorResponse } from '../../../../../lib/org-admin';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

/** POST /api/auth/password-reset/complete {token, password} (signed out): sets the new password once. */
export async function POST(request: Request): Promise<Response> {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  const body = await readJsonBody(request, PasswordResetSchema, 4 * 1024);
  if (body instanceof Response) return body;
  try {
    return Response.json(await resetPassword(prisma(), body.token, body.password), {
      headers: { 'cache-control': 'no-store' },
    });
  } catch (error) {
    return orgAdminErrorResponse(error);
  }
}
