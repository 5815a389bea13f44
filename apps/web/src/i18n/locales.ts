/**
 * The portal's languages and how one is chosen for a request: the signed-in user's profile, else the
 * language cookie (the header's switch when signed out), else on an invitation's page the invitation's
 * language, else the user's organization's default language, else the browser's Accept-Language,
 * else English. Pure: used by the request config, the locale route and tests.
 */

export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The signed-out visitor's choice (also set for signed-in users, so sign-out keeps the language). */
export const LOCALE_COOKIE = 'mt_locale';
/** A year: the choice outlives sessions. */
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best supported language of an Accept-Language header ("ko-KR,ko;q=0.9,en;q=0.8"), by quality;
 * a region ("ko-KR") matches its language. Null when nothing matches.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (!acceptLanguage) return null;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return {
        language: tag.trim().toLowerCase().split('-')[0]!,
        quality: Number.isFinite(quality) ? quality : 0,
        index,
      };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((r) => r.language).find(isLocale) ?? null;
}

export function resolveLocale(sources: {
  profile?: string | null;
  cookie?: string | null;
  invitation?: string | null;
  organization?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  const chosen = [sources.profile, sources.cookie, sources.invitation, sources.organization].find(isLocale);
  return chosen ?? negotiateLocale(sources.acceptLanguage) ?? DEFAULT_LOCALE;
}

/** The request header the proxy puts the page's path in (the request config has no other way to see it). */
export const PATH_HEADER = 'x-mt-path';

/** The token of an invitation page's path (`/invite/<token>`), else null. */
export function invitationToken(path: string | null): string | null {
  const match = /^\/invite\/([^/]+)$/.exec(path ?? '');
  return match ? decodeURIComponent(match[1]!) : null;
}

/**
 * The Intl locale that formats numbers and dates: English keeps the portal's en-GB formats
 * (day month year, 24-hour clock), Korean is ko-KR.
 */
export function intlLocale(locale: string): string {
  return locale === 'ko' ? 'ko-KR' : 'en-GB';
}
