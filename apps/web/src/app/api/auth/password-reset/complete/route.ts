import { resetPassword, PasswordResetSchema } from '@metertwin/org-admin';
import { isSameOriginRequest } from '../../../../../lib/auth';
import { orgAdminErrorResponse } from '../../../../../lib/org-admin';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

/** POST /api/auth/password-reset/complete {token, password} (signed out): sets the new password once. */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request))
    return Response.json({ error: 'cross-site request refused' }, { status: 403 });
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
