import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import {
  apiUser,
  createSession,
  isSameOriginRequest,
  SESSION_TTL_MS,
  tokenHash,
  userForToken,
} from '../src/lib/auth';
import { WINDOW_SECONDS } from '../src/lib/signin-throttle';
import { createOrg } from './fixtures';
import {
  apiRequest,
  createUser,
  randomClientAddress,
  sessionCookie,
  signInRequest,
  type TestUser,
} from './support/auth';

let db: TestDatabase;
let prisma: PrismaClient;
let signInPOST: typeof import('../src/app/api/auth/signin/route').POST;
let signOutPOST: typeof import('../src/app/api/auth/signout/route').POST;
let operator: TestUser;
let viewer: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  ({ POST: signInPOST } = await import('../src/app/api/auth/signin/route'));
  ({ POST: signOutPOST } = await import('../src/app/api/auth/signout/route'));
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  operator = await createUser(prisma, {
    orgId,
    role: 'operator',
    password: 'correct horse',
  });
  viewer = await createUser(prisma, { orgId, role: 'viewer' });
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient; __mtThrottleRedis?: { quit(): Promise<unknown> } };
  await g.__mtThrottleRedis?.quit();
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

describe('sessions', () => {
  it('stores only the sha256 of the token and expires', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const { token, expiresAt } = await createSession(prisma, operator.id, { now });
    expect(expiresAt.getTime() - now.getTime()).toBe(SESSION_TTL_MS);
    const row = await prisma.session.findUniqueOrThrow({ where: { tokenHash: tokenHash(token) } });
    expect(row.tokenHash).not.toContain(token);
    expect((await userForToken(prisma, token, new Date(now.getTime() + 1000)))?.id).toBe(operator.id);
    expect(await userForToken(prisma, token, new Date(expiresAt.getTime() + 1))).toBeNull();
    // The expired session is gone from the database.
    expect(await prisma.session.count({ where: { id: row.id } })).toBe(0);
    expect(await userForToken(prisma, 'not-a-token')).toBeNull();
  });
});

describe('apiUser', () => {
  it('401 without a session, 403 below the role, the user otherwise', async () => {
    const anon = await apiUser(prisma, apiRequest('/api/x', { cookie: null }));
    expect((anon as Response).status).toBe(401);
    const viewerCookie = await sessionCookie(prisma, viewer.id);
    const low = await apiUser(
      prisma,
      apiRequest('/api/x', { cookie: viewerCookie, method: 'POST' }),
      'operator',
    );
    expect((low as Response).status).toBe(403);
    expect(await (low as Response).json()).toEqual({ error: 'needs the operator role', code: 'role-needed', params: { role: 'operator' } });
    const ok = await apiUser(prisma, apiRequest('/api/x', { cookie: viewerCookie }), 'viewer');
    expect(ok).toMatchObject({ id: viewer.id, orgId: viewer.orgId, role: 'viewer', name: viewer.name });
  });

  it('refuses a cross-site mutation even with a valid session cookie', async () => {
    const cookie = await sessionCookie(prisma, operator.id);
    const evil = apiRequest('/api/x', {
      cookie,
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(((await apiUser(prisma, evil, 'operator')) as Response).status).toBe(403);
    const fetchSite = apiRequest('/api/x', {
      cookie,
      method: 'DELETE',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    fetchSite.headers.delete('origin');
    expect(isSameOriginRequest(fetchSite)).toBe(false);
    // Reads are not CSRF targets.
    expect(
      isSameOriginRequest(apiRequest('/api/x', { cookie, headers: { origin: 'https://evil.example' } })),
    ).toBe(true);
  });
});

describe('sign-in and sign-out routes', () => {
  it('signs in with the right password: HttpOnly SameSite=Lax cookie, 303 to the local next path', async () => {
    const res = await signInPOST(
      signInRequest({
        email: ` ${operator.email.toUpperCase()} `,
        password: 'correct horse',
        next: '/alarms',
      }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/alarms');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^mt_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(cookie).not.toContain('Secure');
    const token = cookie.split(';')[0]!.split('=')[1]!;
    expect((await userForToken(prisma, token))?.id).toBe(operator.id);

    // Behind https the cookie is Secure; an off-site next is ignored.
    const https = await signInPOST(
      signInRequest(
        { email: operator.email, password: 'correct horse', next: '//evil.example/x' },
        { 'x-forwarded-proto': 'https' },
      ),
    );
    expect(https.headers.get('set-cookie')).toContain('; Secure');
    expect(https.headers.get('location')).toBe('/');

    // Sign-out deletes the session row and clears the cookie.
    const out = await signOutPOST(
      apiRequest('/api/auth/signout', { cookie: `mt_session=${token}`, method: 'POST' }),
    );
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(await prisma.session.count({ where: { tokenHash: tokenHash(token) } })).toBe(0);
  });

  it('refuses a wrong password or unknown e-mail alike, and creates no session', async () => {
    const before = await prisma.session.count();
    for (const fields of [
      { email: operator.email, password: 'wrong horse', next: '/review' },
      { email: `nobody-${operator.id}@example.test`, password: 'correct horse', next: '/review' },
    ]) {
      const res = await signInPOST(signInRequest(fields));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/signin?error=invalid&next=%2Freview');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(await prisma.session.count()).toBe(before);
    const cross = await signInPOST(
      signInRequest({ email: operator.email, password: 'correct horse' }, { origin: 'https://evil.example' }),
    );
    expect(cross.status).toBe(403);
  });

  it('pauses sign-in on an account from an address after 10 failures there, even with the right password', async () => {
    const user = await createUser(prisma, { orgId: operator.orgId, password: 'right one' });
    const from = { 'x-forwarded-for': randomClientAddress() };
    for (let i = 0; i < 10; i++) {
      const res = await signInPOST(signInRequest({ email: user.email, password: `wrong ${i}` }, from));
      expect(res.headers.get('location')).toBe('/signin?error=invalid');
    }
    const blocked = await signInPOST(
      signInRequest({ email: user.email.toUpperCase(), password: 'right one' }, from),
    );
    const location = new URL(blocked.headers.get('location')!, 'http://portal.test');
    expect(location.pathname).toBe('/signin');
    expect(location.searchParams.get('error')).toBe('throttled');
    expect(Number(location.searchParams.get('retry'))).toBeGreaterThan(WINDOW_SECONDS - 60);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    // Another account from the same address is not affected.
    const other = await signInPOST(signInRequest({ email: operator.email, password: 'correct horse' }, from));
    expect(other.headers.get('set-cookie')).toMatch(/^mt_session=/);
  });
});
