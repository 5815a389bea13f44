import { z } from 'zod';
import {
  authenticate,
  createSession,
  isHttps,
  isSameOriginRequest,
  sessionCookieHeader,
} from '../../../../lib/auth';
import { safeNextPath } from '../../../../lib/next-path';
import { readFormBody, SIGN_IN_FORM_MAX_BYTES } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';
import { clearSignInFailures, recordSignInFailure, signInBlockedFor } from '../../../../lib/signin-throttle';

export const dynamic = 'force-dynamic';

const SignInSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
  next: z.string().max(2000).optional(),
});

function seeOther(location: string, cookie?: string): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  if (cookie) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * The sign-in form's target (a plain HTML form: works without JavaScript). Success: a session
 * cookie and 303 to `next`; failure: 303 back to the form with an error, never saying which field was wrong.
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request))
    return Response.json({ error: 'cross-site request refused' }, { status: 403 });
  const form = await readFormBody(request, SIGN_IN_FORM_MAX_BYTES);
  if (form instanceof Response) return form;
  const parsed = SignInSchema.safeParse(Object.fromEntries(form));
  const next = safeNextPath(parsed.success ? parsed.data.next : undefined);
  const back = (error: string) =>
    seeOther(`/signin?error=${error}${next === '/' ? '' : `&next=${encodeURIComponent(next)}`}`);
  if (!parsed.success) return back('missing');
  const { email, password } = parsed.data;
  if ((await signInBlockedFor(email)) > 0) return back('throttled');
  const user = await authenticate(prisma(), email, password);
  if (!user) {
    await recordSignInFailure(email);
    return back('invalid');
  }
  await clearSignInFailures(email);
  const session = await createSession(prisma(), user.id, {
    userAgent: request.headers.get('user-agent') ?? '',
  });
  return seeOther(
    next,
    sessionCookieHeader(session.token, { secure: isHttps(request), expiresAt: session.expiresAt }),
  );
}
