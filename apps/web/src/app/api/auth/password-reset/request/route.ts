import { PasswordResetRequestSchema, requestPasswordReset } from '@metertwin/org-admin';
import { crossSiteRefusal } from '../../../../../lib/auth';
import { clientAddress } from '../../../../../lib/client-address';
import { webConfig } from '../../../../../lib/config';
import { orgAdminMail } from '../../../../../lib/org-admin';
import { allowPasswordResetMail } from '../../../../../lib/password-reset-limit';
import { readJsonBody } from '../../../../../lib/request-body';
import { throttleRedis } from '../../../../../lib/signin-throttle';

export const dynamic = 'force-dynamic';

/**
 * POST /api/auth/password-reset/request {email} (signed out): 202 at once, whether or not the address
 * has an account. The lookup and the mail run after the answer, so neither its text nor its timing
 * tells who has an account; a failure is only logged. Past the limits of lib/password-reset-limit.ts
 * nothing is sent.
 */
export async function POST(request: Request): Promise<Response> {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  const body = await readJsonBody(request, PasswordResetRequestSchema, 2 * 1024);
  if (body instanceof Response) return body;
  const address = clientAddress(request, webConfig().TRUSTED_PROXY_HOPS);
  void (async () => {
    if (await allowPasswordResetMail(throttleRedis(), body.email, address))
      await requestPasswordReset(orgAdminMail(), body.email);
  })().catch((error: unknown) => console.error(`password reset mail failed: ${(error as Error).message}`));
  return Response.json({ accepted: true }, { status: 202, headers: { 'cache-control': 'no-store' } });
}
