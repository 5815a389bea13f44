import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { hasRole, SESSION_COOKIE, userForToken, type Role, type SessionUser } from './auth';
import { prisma } from './server';

/** The signed-in user of this request, or null; looked up once per render. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return userForToken(prisma(), token);
});

/**
 * For server components: the signed-in user with at least `minRole`. Not signed in: redirect to
 * /signin. Role too low: 404, like anything else the user may not see. Route handlers use apiUser.
 */
export async function requireUser(minRole: Role = 'viewer'): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/signin');
  if (!hasRole(user, minRole)) notFound();
  return user;
}
