import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { invitationToken, negotiateLocale, resolveLocale } from '../src/i18n/locales';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';

describe('choosing the language', () => {
  it('takes the best supported language of Accept-Language, by quality', () => {
    expect(negotiateLocale('ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('ko');
    expect(negotiateLocale('de-DE,de;q=0.9,en;q=0.5,ko;q=0.4')).toBe('en');
    expect(negotiateLocale('en;q=0.2, ko;q=0.8')).toBe('ko');
    expect(negotiateLocale('fr, ko;q=0')).toBeNull();
    expect(negotiateLocale('')).toBeNull();
    expect(negotiateLocale(null)).toBeNull();
  });

  it('prefers the profile, then the cookie, then the browser, then English', () => {
    expect(resolveLocale({ profile: 'ko', cookie: 'en', acceptLanguage: 'en' })).toBe('ko');
    expect(resolveLocale({ profile: null, cookie: 'ko', acceptLanguage: 'en' })).toBe('ko');
    expect(resolveLocale({ profile: 'xx', cookie: 'yy', acceptLanguage: 'ko-KR' })).toBe('ko');
    expect(resolveLocale({ acceptLanguage: 'fr-FR' })).toBe('en');
    expect(resolveLocale({})).toBe('en');
    // An invitation's page speaks the invitation's language, a user without one their organization's:
    // both before the browser, neither before a choice of the visitor's own.
    expect(resolveLocale({ invitation: 'ko', acceptLanguage: 'en-US' })).toBe('ko');
    expect(resolveLocale({ cookie: 'en', invitation: 'ko', acceptLanguage: 'ko' })).toBe('en');
    expect(resolveLocale({ profile: null, organization: 'ko', acceptLanguage: 'en-US' })).toBe('ko');
    expect(resolveLocale({ profile: 'en', organization: 'ko' })).toBe('en');
    expect(resolveLocale({ organization: null, acceptLanguage: 'ko-KR' })).toBe('ko');
  });
});

describe('an invitation page', () => {
  it('is known by its path, whose token the request config looks up', () => {
    expect(invitationToken('/invite/abc_DEF-123')).toBe('abc_DEF-123');
    expect(invitationToken('/invite/')).toBeNull();
    expect(invitationToken('/invite/a/b')).toBeNull();
    expect(invitationToken('/settings')).toBeNull();
    expect(invitationToken(null)).toBeNull();
  });
});

describe('PUT /api/locale', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let PUT: typeof import('../src/app/api/locale/route').PUT;

  beforeAll(async () => {
    db = await createTestDatabase();
    Object.assign(process.env, { DATABASE_URL: db.url, STORAGE_DIR: '/tmp' });
    ({ PUT } = await import('../src/app/api/locale/route'));
    prisma = createPrismaClient(db.url);
  });

  afterAll(async () => {
    const g = globalThis as { __mtPrisma?: PrismaClient };
    await g.__mtPrisma?.$disconnect();
    await prisma?.$disconnect();
    await db?.drop();
  });

  it("stores a signed-in user's choice in the profile and the cookie", async () => {
    const user = await createUser(prisma, { orgId: await createOrg(prisma) });
    const cookie = await sessionCookie(prisma, user.id);
    const res = await PUT(apiRequest('/api/locale', { cookie, method: 'PUT', json: { locale: 'ko' } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ locale: 'ko', savedToProfile: true });
    expect(res.headers.get('set-cookie')).toMatch(/^mt_locale=ko; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax$/);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe('ko');
  });

  it('keeps a signed-out visitor’s choice in the cookie only', async () => {
    const res = await PUT(apiRequest('/api/locale', { cookie: null, method: 'PUT', json: { locale: 'en' } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ locale: 'en', savedToProfile: false });
    expect(res.headers.get('set-cookie')).toMatch(/^mt_locale=en;/);
  });

  it('refuses a language the portal does not have, and another site', async () => {
    const bad = await PUT(apiRequest('/api/locale', { cookie: null, method: 'PUT', json: { locale: 'de' } }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const crossSite = await PUT(
      apiRequest('/api/locale', {
        cookie: null,
        method: 'PUT',
        json: { locale: 'ko' },
        headers: { origin: 'https://evil.example' },
      }),
    );
    expect(crossSite.status).toBe(403);
  });
});
