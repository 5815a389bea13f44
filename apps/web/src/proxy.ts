import { NextResponse, type NextRequest } from 'next/server';
import { createNonce, pageContentSecurityPolicy } from './lib/content-security-policy';
import { safeNextPath } from './lib/next-path';
import { PATH_HEADER } from './i18n/locales';

// The cookie name of lib/auth.ts; repeated here so the proxy bundle stays free of node:crypto and Prisma.
const SESSION_COOKIE = 'mt_session';

/**
 * Every page request: a signed-out visitor goes to /signin (and back after; an optimistic check
 * only: pages (requireUser) and API routes (apiUser) verify the session themselves), and each page
 * gets a Content-Security-Policy with a nonce of its own.
 */
/** Pages for signed-out visitors: sign-in, accepting an invitation, resetting a password. */
const isPublicPage = (pathname: string) =>
  pathname === '/signin' || pathname === '/reset-password' || pathname.startsWith('/invite/');

export function proxy(request: NextRequest) {
  if (!request.cookies.has(SESSION_COOKIE) && !isPublicPage(request.nextUrl.pathname)) {
    const url = request.nextUrl.clone();
    const next = safeNextPath(`${request.nextUrl.pathname}${request.nextUrl.search}`);
    url.pathname = '/signin';
    url.search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return NextResponse.redirect(url);
  }
  const policy = pageContentSecurityPolicy(createNonce(), {
    dev: process.env.NODE_ENV === 'development',
    fcm: Boolean(process.env.FIREBASE_WEB_CONFIG),
  });
  // On the request, for Next to find the nonce and put it on the page's scripts; on the response, for the browser.
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  // For the request config: an invitation's page is in the invitation's language (i18n/request.ts).
  headers.set(PATH_HEADER, request.nextUrl.pathname);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Every page: everything except API routes, Next's assets and the PWA's public files.
  matcher: ['/((?!api/|_next/|favicon\\.ico|manifest\\.webmanifest|sw\\.js|offline\\.html|icons/).*)'],
};
