import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { createUser, sessionCookie } from './support/auth';
import { assertBrowserTestReady, startPortal, type RunningPortal } from './support/portal';

/**
 * `next` on the real portal (`next start`): the sign-in page redirects a signed-in visitor and fills
 * the form's hidden field with it, and proxy.ts builds it for a signed-out one. None of them may
 * hand an off-site URL to the browser.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// As they would appear in a link: `/signin?next=/%09/evil.example` reaches the page as "/\t/evil.example".
const OFF_SITE_QUERIES = [
  '/%09/evil.example',
  '/%0A/evil.example',
  '/%5C%5Cevil.example',
  '/%5Cevil.example',
  '//evil.example',
  '/.//evil.example',
  '/%252F%252Fevil.example',
  'https://evil.example',
  'javascript:alert(1)',
];

describe('next after sign-in on the running portal', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let storageDir: string;
  let portal: RunningPortal;
  let cookie: string;

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-next-'));
    cookie = await sessionCookie(prisma, (await createUser(prisma, { orgId: await createOrg(prisma) })).id);
    portal = await startPortal({ DATABASE_URL: db.url, STORAGE_DIR: storageDir, REDIS_URL });
  });

  afterAll(async () => {
    await portal?.stop();
    await prisma?.$disconnect();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${portal.base}${url}`, { redirect: 'manual', headers });

  it.each(OFF_SITE_QUERIES)('signed in, /signin?next=%s redirects to /', async (query) => {
    const res = await get(`/signin?next=${query}`, { cookie });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('/');
  });

  it('signed in, a local next is kept with its query and fragment', async () => {
    const res = await get(`/signin?next=${encodeURIComponent('/meters/abc?x=1#h')}`, { cookie });
    expect(res.headers.get('location')).toBe('/meters/abc?x=1#h');
  });

  it('signed out, the form carries "/" instead of an off-site next', async () => {
    for (const query of OFF_SITE_QUERIES) {
      const html = await (await get(`/signin?next=${query}`)).text();
      expect(html, query).toContain('<input type="hidden" name="next" value="/"/>');
    }
  });

  it('signed out, proxy.ts sends a page request to sign-in with a local next only', async () => {
    const kept = await get('/meters/abc?x=1');
    expect(kept.headers.get('location')).toBe(`/signin?next=${encodeURIComponent('/meters/abc?x=1')}`);
    // Next itself answers "//evil.example" or "/\evil.example" with a 308 to "/evil.example".
    for (const pathname of ['/%09/evil.example', '/%2F%2Fevil.example', '/%5C%5Cevil.example']) {
      const res = await get(pathname);
      expect(res.status, pathname).toBe(307);
      expect(res.headers.get('location'), pathname).toBe('/signin');
    }
  });
});
