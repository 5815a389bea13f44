import { NextResponse, type NextRequest } from 'next/server';
import { safeNextPath } from './lib/next-path';

// The cookie name of lib/auth.ts; repeated here so the proxy bundle stays free of node:crypto and Prisma.
const SESSION_COOKIE = 'mt_session';

/**
 * Optimistic check only: a page request without a session cookie goes to /signin (and back after).
 * Pages (requireUser) and API routes (apiUser) verify the session themselves.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const url = request.nextUrl.clone();
  const next = safeNextPath(`${request.nextUrl.pathname}${request.nextUrl.search}`);
  url.pathname = '/signin';
  url.search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Everything except API routes, the sign-in page, Next's assets and the PWA's public files.
  matcher: ['/((?!api/|signin|_next/|favicon\\.ico|manifest\\.webmanifest|sw\\.js|offline\\.html|icons/).*)'],
};
