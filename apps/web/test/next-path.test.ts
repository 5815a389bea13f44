import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { safeNextPath } from '../src/lib/next-path';
import { createOrg } from './fixtures';
import { createUser, signInRequest, type TestUser } from './support/auth';

/**
 * Where sign-in sends the browser afterwards. Each of these is, or decodes to, a URL that browsers
 * resolve to another site (a tab or newline is stripped, a backslash counts as a slash, "/./" and
 * ".." collapse to "//"), or is not a path at all.
 */
const OFF_SITE_NEXT = [
  '/%09/evil.example',
  '/\t/evil',
  '/\\evil',
  '//evil',
  '/\n/evil',
  '/\r\n/evil',
  'https://evil',
  '/%5C%5Cevil',
  '/%2F%2Fevil',
  '/.//evil',
  '/a/..//evil',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  ' /evil',
  'evil',
  '/%E0%A4%A',
];

describe('safeNextPath', () => {
  it('keeps a local path with its query and fragment', () => {
    expect(safeNextPath('/meters/abc?x=1#h')).toBe('/meters/abc?x=1#h');
    expect(safeNextPath('/alarms')).toBe('/alarms');
    expect(safeNextPath('/review?meter=a%20b')).toBe('/review?meter=a%20b');
  });

  it.each(OFF_SITE_NEXT)('sends %j to /', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it('sends nothing, or an empty string, to /', () => {
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath('')).toBe('/');
  });
});

describe('the sign-in route', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let user: TestUser;
  let signInPOST: typeof import('../src/app/api/auth/signin/route').POST;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    ({ POST: signInPOST } = await import('../src/app/api/auth/signin/route'));
    prisma = createPrismaClient(db.url);
    user = await createUser(prisma, { orgId: await createOrg(prisma) });
  });

  afterAll(async () => {
    const g = globalThis as { __mtPrisma?: PrismaClient; __mtThrottleRedis?: { quit(): Promise<unknown> } };
    await g.__mtThrottleRedis?.quit();
    await g.__mtPrisma?.$disconnect();
    await prisma?.$disconnect();
    await db?.drop();
  });

  const signIn = (fields: Record<string, string>) => signInPOST(signInRequest(fields));

  it('sends the signed-in browser to a local next path, and to / for every off-site one', async () => {
    const ok = await signIn({ email: user.email, password: user.password, next: '/meters/abc?x=1#h' });
    expect(ok.headers.get('location')).toBe('/meters/abc?x=1#h');
    for (const next of OFF_SITE_NEXT) {
      const res = await signIn({ email: user.email, password: user.password, next });
      expect(res.status).toBe(303);
      expect(res.headers.get('location'), JSON.stringify(next)).toBe('/');
    }
  });

  it('keeps no off-site next on the way back to the form', async () => {
    const res = await signIn({ email: user.email, password: 'wrong', next: '/\t/evil.example' });
    expect(res.headers.get('location')).toBe('/signin?error=invalid');
  });
});
