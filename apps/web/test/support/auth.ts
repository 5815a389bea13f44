import { randomBytes, randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { hashPassword, type PrismaClient } from '@metertwin/db';
import { createSession, SESSION_COOKIE, type Role } from '../../src/lib/auth';

/**
 * Sign-in helpers for tests. Route handler tests: `createUser` + `sessionCookie`, then `apiRequest`.
 * Browser tests: `signIn` (through the real form) or `addSessionCookie` (skips the form).
 */

export interface TestUser {
  id: string;
  orgId: string;
  role: Role;
  name: string;
  email: string;
  password: string;
}

/** A user with a real scrypt hash; the e-mail is unique per call unless given. */
export async function createUser(
  prisma: PrismaClient,
  options: { orgId: string; role?: Role; email?: string; password?: string; name?: string },
): Promise<TestUser> {
  const role = options.role ?? 'operator';
  const email = (options.email ?? `${role}-${randomUUID().slice(0, 8)}@example.test`).toLowerCase();
  const password = options.password ?? `pw-${randomUUID()}`;
  const name = options.name ?? `Test ${role}`;
  const user = await prisma.user.create({
    data: { orgId: options.orgId, email, name, role, passwordHash: await hashPassword(password) },
  });
  return { id: user.id, orgId: user.orgId, role, name, email, password };
}

/** A fresh session for the user, as a Cookie header value ("mt_session=…"). */
export async function sessionCookie(prisma: PrismaClient, userId: string): Promise<string> {
  const { token } = await createSession(prisma, userId, { userAgent: 'vitest' });
  return `${SESSION_COOKIE}=${token}`;
}

/**
 * A Request for calling a route handler directly, signed in with `cookie` (or anonymous when null).
 * Mutating methods carry a same-origin Origin header, as a browser's fetch does.
 */
export function apiRequest(
  url: string,
  options: { cookie: string | null; method?: string; json?: unknown; headers?: Record<string, string> },
): Request {
  const method = options.method ?? 'GET';
  const target = new URL(url, 'http://portal.test');
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set('cookie', options.cookie);
  if (method !== 'GET' && method !== 'HEAD' && !headers.has('origin')) headers.set('origin', target.origin);
  if (!headers.has('host')) headers.set('host', target.host);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  }
  return new Request(target, { method, headers, body });
}

/**
 * A client address from the IPv6 documentation range with a random /64, so sign-in attempts of one
 * test (or run) are never throttled for another's.
 */
export function randomClientAddress(): string {
  const hex = randomBytes(4).toString('hex');
  return `2001:db8:${hex.slice(0, 4)}:${hex.slice(4)}::1`;
}

/**
 * The sign-in form's POST as a browser sends it (same origin, URL-encoded), from a random client
 * address unless `headers` has an X-Forwarded-For.
 */
export function signInRequest(fields: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request('http://portal.test/api/auth/signin', {
    method: 'POST',
    headers: {
      origin: 'http://portal.test',
      host: 'portal.test',
      'x-forwarded-for': randomClientAddress(),
      ...headers,
    },
    body: new URLSearchParams(fields),
  });
}

/**
 * Signs in through the sign-in page's form (the page's context drops any earlier session first),
 * and waits until the browser has left /signin.
 */
export async function signIn(
  page: Page,
  base: string,
  user: { email: string; password: string },
): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${base}/signin`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/signin');
}

/** Puts a fresh session cookie for the user into a browser context (no form round trip). */
export async function addSessionCookie(
  context: BrowserContext,
  base: string,
  prisma: PrismaClient,
  userId: string,
): Promise<void> {
  const { token } = await createSession(prisma, userId, { userAgent: 'playwright' });
  await context.addCookies([
    { name: SESSION_COOKIE, value: token, url: base, httpOnly: true, sameSite: 'Lax' },
  ]);
}
