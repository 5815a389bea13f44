import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword, type PrismaClient } from '@metertwin/db';
import { refusalResponse } from './refusal';
import {
  deleteSessions,
  findSessionByTokenHash,
  findUserForSignIn,
  insertSession,
  touchSession,
  updateLastSignIn,
} from './user.repository';

/**
 * Passwords, sessions and roles. Pure functions of a Prisma client and a Request, so route handlers,
 * server components (through lib/session.ts) and tests share one implementation.
 */

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user as pages and routes see it. */
export interface SessionUser {
  id: string;
  orgId: string;
  role: Role;
  name: string;
  email: string;
  /** The portal language chosen in the header ("en", "ko"); null until chosen. */
  locale: string | null;
}

/** viewer < operator < admin. */
export function hasRole(user: { role: Role }, minRole: Role): boolean {
  return ROLES.indexOf(user.role) >= ROLES.indexOf(minRole);
}

// A real hash to verify against when the e-mail is unknown, so both failures take the same time.
let dummyHash: Promise<string> | undefined;

// ---------------------------------------------------------------------------------------------------
// Sessions: a random token in the cookie, only its sha256 in the database.

export const SESSION_COOKIE = 'mt_session';
export const SESSION_TTL_MS = 14 * 24 * 3600_000;
/** lastSeenAt/expiresAt are refreshed at most this often (not on every request). */
const SESSION_TOUCH_MS = 3600_000;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The user for an e-mail and password, or null (unknown e-mail and wrong password look alike). */
export async function authenticate(
  prisma: PrismaClient,
  email: string,
  password: string,
): Promise<SessionUser | null> {
  const user = await findUserForSignIn(prisma, email.trim().toLowerCase());
  if (!user) {
    dummyHash ??= hashPassword('not a password');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  // A deactivated user looks like a wrong password: the form does not confirm the account exists.
  if (user.deactivatedAt) return null;
  return {
    id: user.id,
    orgId: user.orgId,
    role: user.role,
    name: user.name,
    email: user.email,
    locale: user.locale,
  };
}

export async function createSession(
  prisma: PrismaClient,
  userId: string,
  options: { userAgent?: string; now?: Date } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Expired sessions of this user go when a new one starts (others go on their next use).
  await deleteSessions(prisma, { userId, expiresAt: { lte: now } });
  await updateLastSignIn(prisma, userId, now);
  await insertSession(prisma, {
    userId,
    tokenHash: tokenHash(token),
    userAgent: (options.userAgent ?? '').slice(0, 300),
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

/** The session's user, or null for an unknown or expired token (an expired session is deleted). */
export async function userForToken(
  prisma: PrismaClient,
  token: string | undefined | null,
  now = new Date(),
): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const session = await findSessionByTokenHash(prisma, tokenHash(token));
  // Deactivating deletes the user's sessions; this check also holds for one created in the same instant.
  if (!session || session.user.deactivatedAt) return null;
  if (session.expiresAt <= now) {
    await deleteSessions(prisma, { id: session.id });
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
    // Sliding expiry: an active user stays signed in.
    await touchSession(prisma, session.id, now, new Date(now.getTime() + SESSION_TTL_MS));
  }
  const { id, orgId, role, name, email, locale } = session.user;
  return { id, orgId, role, name, email, locale };
}

export async function deleteSession(prisma: PrismaClient, token: string | undefined | null): Promise<void> {
  if (!token) return;
  await deleteSessions(prisma, { tokenHash: tokenHash(token) });
}

// ---------------------------------------------------------------------------------------------------
// Cookies and requests.

/** A cookie value from a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** https as the browser sees it (directly or behind a TLS-terminating proxy). */
export function isHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto');
  if (forwarded) return forwarded.split(',')[0]!.trim() === 'https';
  return new URL(request.url).protocol === 'https:';
}

/** Set-Cookie for a session: HttpOnly, SameSite=Lax, Secure over https; maxAge 0 clears it. */
export function sessionCookieHeader(token: string, options: { secure: boolean; expiresAt?: Date }): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  if (options.expiresAt) parts.push(`Expires=${options.expiresAt.toUTCString()}`);
  else parts.push('Max-Age=0');
  return parts.join('; ');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF check for mutating requests, on top of SameSite=Lax: a browser's Origin (or Sec-Fetch-Site)
 * must be this site. Clients that send neither are not browsers and cannot be tricked into sending
 * a victim's cookie.
 */
export function isSameOriginRequest(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const origin = request.headers.get('origin');
  if (origin) {
    if (origin === 'null') return false;
    const host =
      request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? new URL(request.url).host;
    try {
      return new URL(origin).host === host.split(',')[0]!.trim();
    } catch {
      return false;
    }
  }
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

/** The 403 a route returns for a cross-site mutation (see isSameOriginRequest), or null for a same-site request. */
export function crossSiteRefusal(request: Request): Response | null {
  if (isSameOriginRequest(request)) return null;
  return refusalResponse(403, { error: 'cross-site request refused', code: 'cross-site' });
}

/**
 * For route handlers: the signed-in user with at least `minRole`, or the Response to return
 * (401 not signed in, 403 role too low or a cross-site mutation).
 *
 *   const auth = await apiUser(prisma(), request, 'operator');
 *   if (auth instanceof Response) return auth;
 */
export async function apiUser(
  prisma: PrismaClient,
  request: Request,
  minRole: Role = 'viewer',
): Promise<SessionUser | Response> {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  const user = await userForToken(prisma, readCookie(request.headers.get('cookie'), SESSION_COOKIE));
  if (!user) return refusalResponse(401, { error: 'sign in first', code: 'not-signed-in' });
  if (!hasRole(user, minRole)) return refusalResponse(403, { error: `needs the ${minRole} role`, code: 'role-needed', params: { role: minRole } });
  return user;
}
