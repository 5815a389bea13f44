import { z } from 'zod';
import {
  authenticate,
  createSession,
  isHttps,
  crossSiteRefusal,
  sessionCookieHeader,
} from '../../../../lib/auth';
import { clientAddress } from '../../../../lib/client-address';
import { webConfig } from '../../../../lib/config';
import { safeNextPath } from '../../../../lib/next-path';
import { readFormBody, SIGN_IN_FORM_MAX_BYTES } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';
import { signInThrottle } from '../../../../lib/signin-throttle';

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
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  const form = await readFormBody(request, SIGN_IN_FORM_MAX_BYTES);
  if (form instanceof Response) return form;
  const parsed = SignInSchema.safeParse(Object.fromEntries(form));
  const next = safeNextPath(parsed.success ? parsed.data.next : undefined);
  const back = (error: string, retryAfterSeconds?: number) => {
    const query = new URLSearchParams({ error });
    if (retryAfterSeconds) query.set('retry', String(retryAfterSeconds));
    if (next !== '/') query.set('next', next);
    return seeOther(`/signin?${query}`);
  };
  if (!parsed.success) return back('missing');
  const { email, password } = parsed.data;
  const address = clientAddress(request, webConfig().TRUSTED_PROXY_HOPS);
  // Counted as a failure from here on, until the password turns out right.
  const verdict = await signInThrottle().attempt(email, address);
  if (!verdict.allowed)
    return verdict.reason === 'throttled'
      ? back('throttled', verdict.retryAfterSeconds)
      : back('unavailable');
  const user = await authenticate(prisma(), email, password);
  if (!user) return back('invalid');
  await signInThrottle().succeeded(email, address);
  const session = await createSession(prisma(), user.id, {
    userAgent: request.headers.get('user-agent') ?? '',
  });
  return seeOther(
    next,
    sessionCookieHeader(session.token, { secure: isHttps(request), expiresAt: session.expiresAt }),
  );
}
