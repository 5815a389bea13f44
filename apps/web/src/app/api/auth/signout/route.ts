import {
  deleteSession,
  isHttps,
  crossSiteRefusal,
  readCookie,
  SESSION_COOKIE,
  sessionCookieHeader,
} from '../../../../lib/auth';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

/** Deletes the session (not just the cookie) and returns to the sign-in page. */
export async function POST(request: Request): Promise<Response> {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  await deleteSession(prisma(), readCookie(request.headers.get('cookie'), SESSION_COOKIE));
  return new Response(null, {
    status: 303,
    headers: {
      location: '/signin',
      'cache-control': 'no-store',
      'set-cookie': sessionCookieHeader('', { secure: isHttps(request) }),
    },
  });
}
