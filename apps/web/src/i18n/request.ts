import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { findInvitation, organizationLanguage } from '@metertwin/org-admin';
import { prisma } from '../lib/server';
import { currentUser } from '../lib/session';
import { invitationToken, LOCALE_COOKIE, PATH_HEADER, resolveLocale, type Locale } from './locales';

const MESSAGES = {
  en: () => import('../../messages/en.json'),
  ko: () => import('../../messages/ko.json'),
} satisfies Record<Locale, () => Promise<{ default: unknown }>>;

/** next-intl's per-request configuration: the locale (see locales.ts) and its messages. */
export default getRequestConfig(async () => {
  const [user, jar, head] = await Promise.all([currentUser(), cookies(), headers()]);
  const token = invitationToken(head.get(PATH_HEADER));
  // Only asked when they can matter: an invitation's page, a user without a language of their own.
  const [invitation, organization] = await Promise.all([
    token ? findInvitation(prisma(), token) : null,
    user && !user.locale ? organizationLanguage(prisma(), user.orgId) : null,
  ]);
  const locale = resolveLocale({
    profile: user?.locale,
    cookie: jar.get(LOCALE_COOKIE)?.value,
    invitation: invitation?.locale,
    organization,
    acceptLanguage: head.get('accept-language'),
  });
  return {
    locale,
    messages: (await MESSAGES[locale]()).default as Record<string, unknown>,
    // Times without a meter's own zone are shown in UTC (and say so), on the server and in the browser alike.
    timeZone: 'UTC',
  };
});
