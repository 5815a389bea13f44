import { PasswordResetRequestSchema, requestPasswordReset } from '@metertwin/org-admin';
import { isSameOriginRequest } from '../../../../../lib/auth';
import { orgAdminMail } from '../../../../../lib/org-admin';
import { readJsonBody } from '../../../../../lib/request-body';

export const dynamic = 'force-dynamic';

/**
 * POST /api/auth/password-reset/request {email} (signed out): 202 at once, whether or not the address
 * has an account. The lookup and the mail run after the answer, so neither its text nor its timing
 * tells who has an account; a failure is only logged.
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request))
    return Response.json({ error: 'cross-site request refused' }, { status: 403 });
  const body = await readJsonBody(request, PasswordResetRequestSchema, 2 * 1024);
  if (body instanceof Response) return body;
  void requestPasswordReset(orgAdminMail(), body.email).catch((error: unknown) =>
    console.error(`password reset mail failed: ${(error as Error).message}`),
  );
  return Response.json({ accepted: true }, { status: 202, headers: { 'cache-control': 'no-store' } });
}
